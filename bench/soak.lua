-- bench/soak.lua: the wrk script of bench/soak.
--
--   wrk -s bench/soak.lua URL -- REQUESTS_FILE
--
-- REQUESTS_FILE has one request a line: "STATUS METHOD PATH [ACCEPT]".
-- Each thread sends them in turn (a POST carries a form body, every
-- fourth one a 16 KiB body).  Every answer is checked: its status must be
-- the expected one, and a 303 must carry a Location.  wrk's response()
-- cannot tell which request it answers, so all lines of one file must
-- expect the same status (bench/soak writes one file per phase).  done()
-- prints one line:
--   soak: requests N answers N unexpected N no-location N statuses S:N,...
-- followed by wrk's own error counts.

local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

local requests = {}
local expected = nil
local counter = 0
-- globals: done() reads them from each thread with thread:get()
answers, unexpected, no_location = 0, 0, 0
statuses = {}

function init(args)
   local file = assert(io.open(args[1], "r"))
   local small = "name=soak&value=" .. string.rep("v", 64)
   local big = "name=soak&value=" .. string.rep("b", 16 * 1024)
   local posts = 0
   for line in file:lines() do
      local status, method, path, accept =
         line:match("^(%d+)%s+(%u+)%s+(%S+)%s*(%S*)$")
      if status then
         expected = expected or tonumber(status)
         assert(tonumber(status) == expected,
                "one expected status per requests file")
         local headers = {}
         local body = nil
         if accept ~= "" then
            headers["Accept"] = accept
         end
         if method == "POST" then
            posts = posts + 1
            body = (posts % 4 == 0) and big or small
            headers["Content-Type"] = "application/x-www-form-urlencoded"
         end
         table.insert(requests, wrk.format(method, path, headers, body))
      end
   end
   file:close()
   assert(#requests > 0, "no requests in " .. args[1])
   -- threads start at different places of the list
   counter = math.random(#requests) - 1
end

function request()
   counter = counter + 1
   return requests[(counter % #requests) + 1]
end

function response(status, headers, body)
   answers = answers + 1
   statuses[status] = (statuses[status] or 0) + 1
   if status ~= expected then
      unexpected = unexpected + 1
   elseif status == 303 and not headers["Location"] then
      no_location = no_location + 1
   end
end

function done(summary, latency, requests)
   local total_answers, total_unexpected, total_no_location = 0, 0, 0
   local merged = {}
   for _, t in ipairs(threads) do
      total_answers = total_answers + t:get("answers")
      total_unexpected = total_unexpected + t:get("unexpected")
      total_no_location = total_no_location + t:get("no_location")
      local st = t:get("statuses")
      for s, n in pairs(st) do
         merged[s] = (merged[s] or 0) + n
      end
   end
   local parts = {}
   for s, n in pairs(merged) do
      table.insert(parts, s .. ":" .. n)
   end
   table.sort(parts)
   local e = summary.errors
   io.write(string.format(
      "soak: requests %d answers %d unexpected %d no-location %d " ..
      "statuses %s connect %d read %d write %d status %d timeout %d " ..
      "seconds %.1f\n",
      summary.requests, total_answers, total_unexpected, total_no_location,
      table.concat(parts, ","), e.connect, e.read, e.write, e.status,
      e.timeout, summary.duration / 1e6))
end
