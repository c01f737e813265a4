-- wrk script: a unique query parameter on every request, so that no cache keyed by the whole URL can answer it.
-- Each wrk thread gets its own number; a random run id keeps rounds apart.
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

function init(args)
  math.randomseed(os.time() + tid)
  run = math.random(1, 1000000000)
  counter = 0
  sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
end

function request()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. sep .. "bench=" .. run .. "-" .. tid .. "-" .. counter)
end
