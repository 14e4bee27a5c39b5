#!/bin/sh
# a 302 without a body
printf 'Status: 302 Found\r\nLocation: http://example.org/found\r\n\r\n'
