-- SPDX-License-Identifier: BSD-3-Clause
--
-- pktgen kit: FLOWS UDP flows of RTP-sized, RTP-shaped packets to srtpfwd's
-- media ports in pktgen's range mode, at a set rate for a set time,
-- printing TX and RX packets/s every second (pktgen-dpdk 23.06 Lua API,
-- see common.lua).
--
-- Flow i = base + i in every field named in VARY (they advance in lockstep,
-- one step a packet); the other fields stay at their base:
--   VARY=dst_port (default): one remote to FLOWS media ports, the layout of
--     `session add e2e access 10000 core 10000 a-remote=198.18.0.2:5000
--      a-latch=strict b-remote=198.19.0.2:6000 count=FLOWS`
--     (FLOWS <= the interface's media-ports per address, 50000 in the bench configs);
--   VARY=dst_port,src_port: one remote port per session, sessions with
--     `a-latch=learn` (interface `exposed = no`) latch each its own source;
--   VARY=src_port or src_ip alone: many sources against one session: all but
--     the latched one are dropped (the latch's own cost, not forwarding).
-- LATENCY=1 turns on pktgen's latency packets; its stamp sits at frame
-- offset 48, inside the RTP header, so use it on e2e sessions only (e2ae
-- would fail SRTP authentication / rewrite the stamp).
--
-- Run:  PKTGEN=... bench/pktgen/pktgen.sh range FLOWS=1000 RATE=100 SECONDS=10
-- Out:  KIT, SAMPLE per second, RESULT (flows, rate_pct, kit.RATE_KEYS), DONE.

local P_DEFAULTS = {
	TX_PORT = 0,		-- pktgen port facing srtpfwd's access port
	RX_PORT = 1,		-- pktgen port facing srtpfwd's core port
	FLOWS = 1000,
	VARY = "dst_port",	-- fields that advance per flow (see above)
	RATE = 100,		-- percent of line rate (fractions allowed)
	SECONDS = 10,
	WARMUP = 1,		-- first samples left out of the medians
	DRAIN_MS = 1500,	-- wait after stop before the final counters
	SIZE = 228,		-- pktgen frame size, FCS included: 224 = 42 headers + 12 RTP + 160 + 10 tag
	BURST = 0,		-- packets per TX burst; 0: pktgen's default
	DST_MAC = "02:00:00:00:00:01",	-- srtpfwd access interface `mac`
	SRC_IP = "198.18.0.2",		-- the sessions' a-remote
	DST_IP = "198.18.1.1",		-- access interface address
	SRC_PORT = 5000,
	DST_PORT = 10000,		-- first session's access port
	LATENCY = 0,
	QUIT = 1,		-- 0: stay in pktgen afterwards (interactive use)
}

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local kit = dofile(dir .. "common.lua")
local P = kit.params(P_DEFAULTS)

local function main()
	kit.setup_flows(P)
	if P.LATENCY ~= 0 then
		pktgen.latency(tostring(P.TX_PORT), "on")
		pktgen.latency(tostring(P.RX_PORT), "on")
	end
	local r = kit.run_rate("range", P)
	r.flows, r.rate_pct, r.size = P.FLOWS, P.RATE, P.SIZE
	local keys = { "flows", "rate_pct", "size" }
	for _, k in ipairs(kit.RATE_KEYS) do
		keys[#keys + 1] = k
	end
	if P.LATENCY ~= 0 then
		local s = pktgen.pktStats(tostring(P.RX_PORT))[P.RX_PORT]
		r.avg_latency_us = s.avg_latency or -1
		keys[#keys + 1] = "avg_latency_us"
	end
	kit.emit("RESULT", "range", keys, r)
	pktgen.set_range(tostring(P.TX_PORT), "off")
end

kit.run("range", P, main)
