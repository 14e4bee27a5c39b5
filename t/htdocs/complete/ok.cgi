#!/bin/sh
# a 200 from a handler
printf 'Content-Type: text/plain\r\n\r\nhello\n'
