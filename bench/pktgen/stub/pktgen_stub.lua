-- SPDX-License-Identifier: BSD-3-Clause
--
-- A stand-in for pktgen's Lua library, so that bench/pktgen/check.sh can run
-- the kit's scripts under plain lua5.3 where pktgen is not installed. Not a
-- traffic generator: a model with virtual time.
--
-- It defines the global `pktgen` with the functions the kit calls, each
-- checking its argument count and values as pktgen-dpdk 23.06's
-- app/lpktgenlib.c does (luaL_error "NAME, wrong number of arguments"), so
-- a call that pktgen would refuse fails here too. Time passes only in
-- delay(): two ports (0 and 1) joined by a device under test that forwards
-- 0 -> 1 and 1 -> 0 at most STUB_DUT_PPS packets/s; a sending port sends
-- min(rate percent of line rate, STUB_GEN_PPS). Env: STUB_LINK_MBPS
-- (10000), STUB_DUT_PPS (2000000), STUB_GEN_PPS (1e12), STUB_NO_PCAP=1 (no
-- capture loaded with -s).

local LINK = tonumber(os.getenv("STUB_LINK_MBPS") or "") or 10000
local DUT = tonumber(os.getenv("STUB_DUT_PPS") or "") or 2e6
local GEN = tonumber(os.getenv("STUB_GEN_PPS") or "") or 1e12
local PCAP_LOADED = os.getenv("STUB_NO_PCAP") ~= "1"

local ports = {}
for p = 0, 1 do
	ports[p] = {
		rate = 100, size = 64, count = 0, sending = false, pcap = false, range = false,
		c = { opackets = 0, ipackets = 0, oerrors = 0, imissed = 0, rx_nombuf = 0 },
		pps_tx = 0, pps_rx = 0,
	}
end

local function nargs(name, want, ...)
	if select("#", ...) ~= want then
		error(name .. ", wrong number of arguments", 3)
	end
end

-- pktgen portlist: "all", "N", "N-M", "N,M".
local function portlist(s)
	if type(s) ~= "string" then
		error("portlist must be a string", 3)
	end
	local list = {}
	if s == "all" then
		return { 0, 1 }
	end
	for item in s:gmatch("[^,]+") do
		local a, b = item:match("^(%d+)%-(%d+)$")
		a, b = tonumber(a or item), tonumber(b or item)
		if not a or not b or not ports[a] or not ports[b] then
			error("bad portlist " .. s, 3)
		end
		for p = a, b do
			list[#list + 1] = p
		end
	end
	return list
end

local function check_mac(m)
	if not tostring(m):match("^%x%x:%x%x:%x%x:%x%x:%x%x:%x%x$") then
		error("bad MAC " .. tostring(m), 3)
	end
end

local function check_ip(ip)
	if not tostring(ip):match("^%d+%.%d+%.%d+%.%d+$") then
		error("bad IPv4 address " .. tostring(ip), 3)
	end
end

local function state(s)
	if s ~= "on" and s ~= "off" and s ~= "enable" and s ~= "disable" then
		error("bad state " .. tostring(s), 3)
	end
	return s == "on" or s == "enable"
end

local function line_pps(p)
	return LINK * 1e6 / ((ports[p].size + 20) * 8)
end

-- Advance virtual time by dt seconds: what each sending port sends, what
-- the DUT passes to the other port.
local function advance(dt)
	for p = 0, 1 do
		ports[p].pps_tx, ports[1 - p].pps_rx = 0, 0
	end
	for p = 0, 1 do
		local pt = ports[p]
		if pt.sending then
			local tx = math.min(line_pps(p) * pt.rate / 100, GEN)
			pt.pps_tx = tx
			ports[1 - p].pps_rx = math.min(tx, DUT)
		end
	end
	for p = 0, 1 do
		local c = ports[p].c
		c.opackets = c.opackets + math.floor(ports[p].pps_tx * dt + 0.5)
		c.ipackets = c.ipackets + math.floor(ports[p].pps_rx * dt + 0.5)
	end
end

local SET_KEYS = { count = true, size = true, rate = true, burst = true, sport = true,
	dport = true, ttl = true }
local RANGE_WHAT = { start = true, inc = true, min = true, max = true }

local function range_fn(name, check)
	return function(...)
		nargs(name, 3, ...)
		local pl, what, v = ...
		portlist(pl)
		if not RANGE_WHAT[what] then
			error(name .. ": bad type " .. tostring(what), 2)
		end
		check(v)
	end
end

local function int(v)
	if math.tointeger(v) == nil then
		error("integer expected, got " .. tostring(v), 3)
	end
end

pktgen = {
	info = { Pktgen_Version = "stub", Lua_Version = _VERSION },
	quitted = false,
}

function pktgen.quit(...) nargs("quit", 0, ...); pktgen.quitted = true end
function pktgen.screen(...) nargs("screen", 1, ...); state(...) end
function pktgen.delay(...)
	nargs("delay", 1, ...)
	local ms = ...
	int(ms)
	advance(ms / 1000)
end
function pktgen.clr(...)
	nargs("clr", 0, ...)
	for p = 0, 1 do
		for k in pairs(ports[p].c) do
			ports[p].c[k] = 0
		end
	end
end

function pktgen.set(...)
	nargs("set", 3, ...)
	local pl, what, v = ...
	if not SET_KEYS[what] then
		error("set does not support " .. tostring(what), 2)
	end
	if tonumber(v) == nil then
		error("set: number expected", 2)
	end
	for _, p in ipairs(portlist(pl)) do
		if what == "rate" then
			ports[p].rate = tonumber(v)
		elseif what == "size" then
			ports[p].size = tonumber(v)
		end
	end
end

function pktgen.set_mac(...) nargs("set_mac", 3, ...); local pl, w, m = ...; portlist(pl); check_mac(m) end
function pktgen.set_ipaddr(...)
	nargs("set_ipaddr", 3, ...)
	local pl, w, ip = ...
	portlist(pl)
	if w ~= "src" and w ~= "dst" then
		error("set_ipaddr: src or dst", 2)
	end
	check_ip(tostring(ip):match("^[^/]+"))
end
function pktgen.set_proto(...) nargs("set_proto", 2, ...) end
function pktgen.set_type(...) nargs("set_type", 2, ...) end
function pktgen.pattern(...) nargs("pattern", 2, ...) end
function pktgen.userPattern(...)
	nargs("user.pattern", 2, ...)
	local _, s = ...
	if #s > 15 or s:find("\0", 1, true) then
		error("user pattern: at most 15 bytes, no NUL", 2)
	end
end
function pktgen.latency(...) nargs("latency", 2, ...) end
function pktgen.set_range(...)
	nargs("range", 2, ...)
	local pl, s = ...
	for _, p in ipairs(portlist(pl)) do
		ports[p].range = state(s)
	end
end
function pktgen.pcap(...)
	nargs("pcap", 2, ...)
	local pl, s = ...
	for _, p in ipairs(portlist(pl)) do
		ports[p].pcap = state(s)
	end
end
function pktgen.start(...)
	nargs("start", 1, ...)
	for _, p in ipairs(portlist(...)) do
		if ports[p].pcap and not PCAP_LOADED then
			error("stub: pcap mode without a capture (-s)", 2)
		end
		ports[p].sending = true
	end
end
function pktgen.stop(...)
	nargs("stop", 1, ...)
	for _, p in ipairs(portlist(...)) do
		ports[p].sending = false
	end
end

local function per_port(pl, fn)
	local t, n = {}, 0
	for _, p in ipairs(portlist(pl)) do
		t[p] = fn(p)
		n = n + 1
	end
	t.n = n
	return t
end

function pktgen.linkState(...)
	nargs("linkState", 1, ...)
	return per_port(..., function() return string.format("<UP-%d-FD>", LINK) end)
end
function pktgen.portStats(...)
	nargs("portStats", 2, ...)
	local pl, kind = ...
	return per_port(pl, function(p)
		local c = ports[p].c
		if kind == "rate" then
			local tx, rx = math.floor(ports[p].pps_tx + 0.5), math.floor(ports[p].pps_rx + 0.5)
			return { opackets = tx, ipackets = rx, pkts_tx = tx, pkts_rx = rx,
				oerrors = 0, imissed = 0, rx_nombuf = 0 }
		end
		return { opackets = c.opackets, ipackets = c.ipackets, oerrors = c.oerrors,
			imissed = c.imissed, rx_nombuf = c.rx_nombuf }
	end)
end
function pktgen.pktStats(...)
	nargs("pktStats", 1, ...)
	return per_port(..., function() return { avg_latency = 0, dropped_pkts = 0, tx_failed = 0 } end)
end

pktgen.range = {
	dst_mac = range_fn("dst_mac", check_mac),
	src_mac = range_fn("src_mac", check_mac),
	src_ip = range_fn("src_ip", check_ip),
	dst_ip = range_fn("dst_ip", check_ip),
	src_port = range_fn("src_port", int),
	dst_port = range_fn("dst_port", int),
	pkt_size = range_fn("pkt_size", int),
	ttl = range_fn("set ttl", int),
	ip_proto = function(...) nargs("ip_proto", 2, ...) end,
}
