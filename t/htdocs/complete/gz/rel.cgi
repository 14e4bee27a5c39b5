#!/bin/sh
# a 303 with a relative Location and no body
printf 'Status: 303 See Other\r\nLocation: /complete/target.txt\r\n\r\n'
