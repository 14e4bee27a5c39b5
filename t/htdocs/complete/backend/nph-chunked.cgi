#!/bin/sh
# the backend's exact bytes: 303, a chunked empty body
printf 'HTTP/1.1 303 See Other\r\nLocation: http://example.org/chunked\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n'
