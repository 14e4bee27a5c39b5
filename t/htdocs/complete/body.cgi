#!/bin/sh
# a 303 with a body of its own
printf 'Status: 303 See Other\r\nLocation: /complete/target.txt\r\nContent-Type: text/plain\r\n\r\nmy own body\n'
