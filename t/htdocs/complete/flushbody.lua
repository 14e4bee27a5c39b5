-- a 303 flushed first, then a body of its own: passed on untouched
function handle(r)
    r.status = 303
    r.headers_out['Location'] = '/complete/flushed'
    r.content_type = 'text/plain'
    r:flush()
    r:puts('own body after a flush\n')
    return apache2.OK
end
