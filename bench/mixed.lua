-- Mixed load for wrk (bench/mixed.sh): four requests in five GET a public page, one in five POSTs a registration
-- with a new e-mail address. The antiforgery cookie and token come from one form GET by mixed.sh (a token pair
-- stays valid for many posts); REGION and the session choice are the form's defaults.
local pages = { "/", "/veranstaltungen", "/aktuelles", "/veranstaltungen/" .. os.getenv("MIXED_SLUG"), "/regionen/chemnitz" }
local cookie = os.getenv("MIXED_COOKIE")
local token = os.getenv("MIXED_TOKEN")
local extra = os.getenv("MIXED_FIELDS") or ""
local slug = os.getenv("MIXED_SLUG")
local host = os.getenv("MIXED_HOST")
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("id", thread_id)
end

function request()
  counter = counter + 1
  local headers = { ["Host"] = host, ["X-Forwarded-Proto"] = "https" }
  if counter % 5 == 0 then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Cookie"] = cookie
    local body = "FirstName=Last&LastName=Test&Email=mixed-" .. os.getenv("MIXED_RUN") .. "-" .. id .. "-" .. counter ..
      "%40example.org&Organisation=Bench&OrganisationType=Kommune&Function=Test&PhotoConsent=false&PrivacyConsent=true" ..
      extra .. "&__RequestVerificationToken=" .. token
    return wrk.format("POST", "/veranstaltungen/" .. slug .. "/anmeldung", headers, body)
  end
  return wrk.format("GET", pages[(counter % #pages) + 1], headers)
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
