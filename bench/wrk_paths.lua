-- wrk script of the issue-17 benchmarks (bench/common.py, load_pages): each connection's next request goes to
-- the next of many paths (one a line in the file named after "--"), each thread starting at its own place, so
-- that a run spreads over random filters, pages and organisations; the figures as bench/wrk_report.lua writes them.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk_report.lua")

local paths = {}
position = 0  -- a global: setup() sets each thread's own
local started = 0

setup = function(thread)
  started = started + 1
  thread:set("position", started * 7919)
end

init = function(args)
  for line in io.lines(args[1]) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
end

request = function()
  position = position % #paths + 1
  return wrk.format("GET", paths[position])
end
