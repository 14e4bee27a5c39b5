#!/bin/sh
# a 303 whose Location holds bytes the note must escape
printf 'Status: 303 See Other\r\nLocation: /complete/x?a=1&b="q"&c=<t>\r\n\r\n'
