-- a 303 whose headers are flushed before its (empty) end: the completion
-- filter sees a brigade of a FLUSH alone first
function handle(r)
    r.status = 303
    r.headers_out['Location'] = '/complete/flushed'
    r:flush()
    return apache2.OK
end
