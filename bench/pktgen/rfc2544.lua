-- SPDX-License-Identifier: BSD-3-Clause
--
-- pktgen kit: RFC 2544 throughput (section 26.1) through srtpfwd: per frame
-- size, a binary search on the rate between LO and HI percent of line rate
-- for the highest rate whose trial loses at most LOSS_PCT percent (0 for
-- the strict zero-loss figure). pktgen-dpdk 23.06 Lua API, see common.lua.
--
-- A trial: counters read, TRIAL_SECONDS of range-mode traffic (FLOWS flows,
-- as range.lua: the sessions must exist), stop, DRAIN_MS, counters read
-- again; loss = sent on TX_PORT minus received on RX_PORT. The search
-- tries HI first; if it fails, it halves [LO, HI] until HI - LO <=
-- RESOLUTION or MAX_TRIALS trials ran (then LO itself, if nothing passed).
-- A trial whose measured TX rate is under GEN_TOLERANCE of the asked one
-- is marked gen_limited=1: pktgen, not srtpfwd, set that rate.
-- CONFIRM_SECONDS > 0 repeats the found rate once that long (RFC 2544
-- asks for 60 s trials; short ones make the search affordable).
--
-- Run:  PKTGEN=... bench/pktgen/pktgen.sh rfc2544 SIZES=64,228,1518 LOSS_PCT=0.1
-- Out:  KIT, TRIAL per trial, RESULT per size, DONE:
--   TRIAL  size rate_pct trial want_pps tx_pkts rx_pkts tx_pps rx_pps loss_pct gen_limited pass
--   RESULT size found rate_pct tx_pps rx_pps loss_pct rx_mbps line_pps trials gen_limited confirmed
--          (found=0: no trial passed, rate_pct=0; confirmed: -1 none run, 0 failed, 1 passed;
--           rx_mbps counts frames with FCS, without preamble and gap)

local P_DEFAULTS = {
	TX_PORT = 0,
	RX_PORT = 1,
	SIZES = "64,128,256,512,1024,1280,1518",	-- RFC 2544 section 9.1 (pktgen sizes, FCS included)
	LO = 1,			-- percent of line rate
	HI = 100,
	RESOLUTION = 0.5,	-- stop when HI - LO is this many percent points or fewer
	MAX_TRIALS = 16,	-- and at most this many trials per size
	LOSS_PCT = 0.1,		-- a trial passes when it loses at most this percent
	TRIAL_SECONDS = 10,
	CONFIRM_SECONDS = 0,
	DRAIN_MS = 1500,	-- wait after stop before the counters (>= pktgen's 1 s stats timer)
	GEN_TOLERANCE = 0.98,
	FLOWS = 1000,
	VARY = "dst_port",	-- as range.lua
	BURST = 0,
	DST_MAC = "02:00:00:00:00:01",
	SRC_IP = "198.18.0.2",
	DST_IP = "198.18.1.1",
	SRC_PORT = 5000,
	DST_PORT = 10000,
	QUIT = 1,
}

local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local kit = dofile(dir .. "common.lua")
local P = kit.params(P_DEFAULTS)

local TRIAL_KEYS = { "size", "rate_pct", "trial", "want_pps", "tx_pkts", "rx_pkts", "tx_pps",
	"rx_pps", "loss_pct", "gen_limited", "pass" }
local RESULT_KEYS = { "size", "found", "rate_pct", "tx_pps", "rx_pps", "loss_pct", "rx_mbps",
	"line_pps", "trials", "gen_limited", "confirmed" }

-- One trial of SECONDS at RATE percent with frames of SIZE bytes.
local function trial(size, rate, seconds, n)
	local pl = tostring(P.TX_PORT)
	pktgen.set(pl, "count", 0)
	pktgen.set(pl, "rate", string.format("%.3f", rate))
	pktgen.clr()
	pktgen.delay(kit.SETTLE_MS)
	local t0, r0 = kit.counters(P.TX_PORT), kit.counters(P.RX_PORT)
	pktgen.start(pl)
	pktgen.delay(seconds * 1000)
	pktgen.stop(pl)
	pktgen.delay(math.max(P.DRAIN_MS, kit.SETTLE_MS))
	local t1, r1 = kit.counters(P.TX_PORT), kit.counters(P.RX_PORT)
	local tx, rx = t1.tx - t0.tx, r1.rx - r0.rx
	local want = kit.line_pps(P.TX_PORT, size) * rate / 100
	local t = {
		size = size, rate_pct = rate, trial = n, want_pps = want,
		tx_pkts = tx, rx_pkts = rx, tx_pps = tx / seconds, rx_pps = rx / seconds,
		-- rx can exceed tx when the DUT sends frames of its own (ARP, ND):
		-- the loss is then negative and shown as it is.
		loss_pct = tx > 0 and 100 * (tx - rx) / tx or 100,
	}
	t.gen_limited = (want > 0 and t.tx_pps < P.GEN_TOLERANCE * want) and 1 or 0
	t.pass = (tx > 0 and t.loss_pct <= P.LOSS_PCT) and 1 or 0
	kit.emit("TRIAL", "rfc2544", TRIAL_KEYS, t)
	return t
end

-- The binary search for one frame size; returns the best passing trial
-- (nil if none) and the number of trials.
local function search(size)
	local n = 1
	local t = trial(size, P.HI, P.TRIAL_SECONDS, n)
	if t.pass == 1 then
		return t, n
	end
	local lo, hi, best = P.LO, P.HI, nil
	while hi - lo > P.RESOLUTION and n < P.MAX_TRIALS do
		local mid = (lo + hi) / 2
		n = n + 1
		t = trial(size, mid, P.TRIAL_SECONDS, n)
		if t.pass == 1 then
			lo, best = mid, t
		else
			hi = mid
		end
	end
	if not best and n < P.MAX_TRIALS then
		n = n + 1
		t = trial(size, P.LO, P.TRIAL_SECONDS, n)
		best = t.pass == 1 and t or nil
	end
	return best, n
end

local function throughput(size)
	P.SIZE = size
	kit.setup_flows(P)
	local best, n = search(size)
	local r = { size = size, found = best and 1 or 0, trials = n, confirmed = -1,
		line_pps = kit.line_pps(P.TX_PORT, size) }
	local b = best or { rate_pct = 0, tx_pps = 0, rx_pps = 0, loss_pct = 0, gen_limited = 0 }
	r.rate_pct, r.tx_pps, r.rx_pps = b.rate_pct, b.tx_pps, b.rx_pps
	r.loss_pct, r.gen_limited = b.loss_pct, b.gen_limited
	r.rx_mbps = b.rx_pps * size * 8 / 1e6
	if best and P.CONFIRM_SECONDS > 0 then
		r.trials = n + 1
		r.confirmed = trial(size, best.rate_pct, P.CONFIRM_SECONDS, n + 1).pass
	end
	kit.emit("RESULT", "rfc2544", RESULT_KEYS, r)
end

local function main()
	for size in P.SIZES:gmatch("%d+") do
		throughput(math.tointeger(tonumber(size)))
	end
	pktgen.set_range(tostring(P.TX_PORT), "off")
end

kit.run("rfc2544", P, main)
