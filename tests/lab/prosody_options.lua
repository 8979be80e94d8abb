-- Prints, as JSON, every option of a Prosody configuration file as Prosody itself reads it:
-- lua5.4 prosody_options.lua /path/to/prosody.cfg.lua
package.path = "/usr/lib/prosody/?.lua;" .. package.path
package.cpath = "/usr/lib/prosody/?.so;" .. package.cpath
prosody = { events = require "util.events".new(); paths = {} }
local configmanager = require "core.configmanager"
local ok, kind, err = configmanager.load(arg[1])
if not ok then
    io.stderr:write(tostring(kind) .. ": " .. tostring(err) .. "\n")
    os.exit(2)
end
-- A plain copy: the configuration's own tables inherit through metatables.
local hosts = {}
for host, host_options in pairs(configmanager.getconfig()) do
    hosts[host] = host_options
end
print(require "util.json".encode(hosts))
