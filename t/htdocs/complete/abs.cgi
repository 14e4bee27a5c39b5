#!/bin/sh
# a 303 with an absolute Location and no body
printf 'Status: 303 See Other\r\nLocation: http://example.org/done?a=1&b=2\r\n\r\n'
