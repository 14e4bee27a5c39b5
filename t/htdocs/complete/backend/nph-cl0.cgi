#!/bin/sh
# the backend's exact bytes: 303, Content-Length: 0
printf 'HTTP/1.1 303 See Other\r\nLocation: /complete/target.txt\r\nContent-Length: 0\r\nConnection: close\r\n\r\n'
