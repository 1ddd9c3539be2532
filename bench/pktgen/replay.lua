-- SPDX-License-Identifier: BSD-3-Clause
--
-- pktgen kit: replay a capture into srtpfwd at a set rate, for a set time,
-- printing TX and RX packets/s every second (pktgen-dpdk 23.06 Lua API,
-- see common.lua).
--
-- The capture is loaded by pktgen itself at start: `-s TX_PORT:FILE`
-- (bench/pktgen/pktgen.sh passes PG_PCAP that way); pktgen.pcap(port, "on")
-- sends it in a loop. Captures: build/bench/srtpfwd-gen-flows (bench/gen_flows.c),
-- one packet per e2e session, e.g.
--   srtpfwd-gen-flows -o flows.pcap -n 1000 -p 10000-59999 -d 198.18.1.1 -S 198.18.0.2 -P 5000
-- for `session add e2e access 10000 core 10000 a-remote=198.18.0.2:5000
-- a-latch=strict b-remote=198.19.0.2:6000 count=1000`; e2ae captures as in
-- bench/e2ae_forward.sh (replay-check=off: the capture loops).
--
-- Run:  PKTGEN=... PG_PCAP=flows.pcap bench/pktgen/pktgen.sh replay RATE=50 SECONDS=10
-- Out:  KIT, SAMPLE per second, RESULT (kit.RATE_KEYS), DONE (common.lua).

local P_DEFAULTS = {
	TX_PORT = 0,		-- pktgen port facing srtpfwd's access port (sends the capture)
	RX_PORT = 1,		-- pktgen port facing srtpfwd's core port (counts what came through)
	RATE = 100,		-- percent of line rate (pktgen's rate, fractions allowed)
	SECONDS = 10,		-- seconds of traffic
	WARMUP = 1,		-- first samples left out of the medians
	DRAIN_MS = 1500,	-- wait after stop before the final counters
	SIZE = 228,		-- frame size pktgen paces with (FCS included): the capture's 224 + 4
	QUIT = 1,		-- 0: stay in pktgen afterwards (interactive use)
}

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local kit = dofile(dir .. "common.lua")
local P = kit.params(P_DEFAULTS)

local function main()
	local pl = tostring(P.TX_PORT)
	pktgen.set(pl, "size", P.SIZE)
	pktgen.pcap(pl, "on")
	local r = kit.run_rate("replay", P)
	r.rate_pct = P.RATE
	local keys = { "rate_pct" }
	for _, k in ipairs(kit.RATE_KEYS) do
		keys[#keys + 1] = k
	end
	kit.emit("RESULT", "replay", keys, r)
	pktgen.pcap(pl, "off")
end

kit.run("replay", P, main)
