#!/bin/sh
# a 303 without Location
printf 'Status: 303 See Other\r\nContent-Type: text/plain\r\n\r\n'
