-- SPDX-License-Identifier: BSD-3-Clause
--
-- Shared parts of the pktgen kit (replay.lua, range.lua, rfc2544.lua):
-- parameters, the kit's output lines, port counters and the UDP flow setup.
-- Loaded by each script with dofile() from the script's own folder.
--
-- pktgen API used, for pktgen-dpdk 23.06 (names and argument counts from
-- app/lpktgenlib.c, tables pktgenlib[] and pktgenlib_range[], as in the
-- upstream revisions read for this kit, 2020-2023; the 23.06.1 tag itself
-- was not at hand, see README.md "Checks"): screen, quit, info, linkState, portStats,
-- set, set_mac, set_ipaddr, set_proto, set_type, pattern, userPattern,
-- latency, pktStats, start, stop, pcap,
-- set_range, range.{dst_mac,src_ip,dst_ip,src_port,dst_port,pkt_size,ttl,
-- ip_proto}, clr, delay. portStats(list, "port") returns cumulative
-- counters, portStats(list, "rate") pktgen's own per-second rates, both as
-- a table indexed by port id (upstream issue #235: these read correctly in
-- 23.06; 23.10 returned zeros).
--
-- Parameters: every script declares its defaults in a table at its top.
-- A value is taken, first match wins, from
--   1. the global table PG_PARAMS (e.g. set in the pktgen console before
--      `load`: PG_PARAMS = { RATE = 50 }),
--   2. the environment variable PG_<NAME> (what bench/pktgen/pktgen.sh and
--      the bench runner set),
--   3. the script's default.
--
-- Output (the contract with bench/pktgen/pktgen.sh and the bench runner):
-- one line per record, "KIND key=value key=value ...", values without
-- spaces, printed and, when PG_RESULT_FILE is set, appended to that file:
--   KIT     script=S kit=1 pktgen=VERSION <every parameter>   (first line)
--   SAMPLE  script=S t=SECOND tx_pps=N rx_pps=N               (replay, range)
--   TRIAL   script=rfc2544 size=B rate_pct=R ... pass=0|1     (rfc2544)
--   RESULT  script=S ...                                      (per run or size)
--   DONE    script=S status=ok                                (last line)
--   ERROR   script=S msg=TEXT                                 (instead of DONE)

local kit = { VERSION = 1 }

-- Preamble (7) + start of frame (1) + inter-frame gap (12): what a frame
-- costs on the wire beyond pktgen's frame size, which includes the FCS.
kit.WIRE_OVERHEAD = 20

local result_file

-- Parameter NAME: PG_PARAMS, then PG_<NAME>, then the default; numbers
-- stay numbers when the default is one.
local function param(name, default)
	local v
	if type(PG_PARAMS) == "table" and PG_PARAMS[name] ~= nil then
		v = PG_PARAMS[name]
	else
		v = os.getenv("PG_" .. name)
	end
	if v == nil or v == "" then
		return default
	end
	if type(default) == "number" then
		local n = tonumber(v)
		if n == nil then
			error(string.format("parameter %s=%s is not a number", name, tostring(v)))
		end
		-- Port ids index pktgen's result tables: keep integral values integers.
		return math.tointeger(n) or n
	end
	return tostring(v)
end

-- All parameters of a script: a table name -> value, plus the ordered
-- list of names (for the KIT line).
function kit.params(defaults)
	local p, names = {}, {}
	for name, default in pairs(defaults) do
		p[name] = param(name, default)
		names[#names + 1] = name
	end
	table.sort(names)
	p._names = names
	return p
end

-- Integers print as integers, other numbers with 3 decimals; spaces in
-- strings become '_' so that every value is one token.
local function fmt(v)
	if type(v) == "number" then
		if math.type(v) == "integer" then
			return string.format("%d", v)
		end
		if v == math.floor(v) and math.abs(v) < 2^53 then
			return string.format("%.0f", v)
		end
		return string.format("%.3f", v)
	end
	return (tostring(v):gsub("%s", "_"))
end

-- One output line: KIND script=NAME, then keys in the given order.
function kit.emit(kind, script, keys, values)
	local parts = { kind, "script=" .. script }
	for _, k in ipairs(keys) do
		parts[#parts + 1] = k .. "=" .. fmt(values[k])
	end
	local line = table.concat(parts, " ")
	print(line)
	if result_file then
		result_file:write(line, "\n")
		result_file:flush()
	end
end

function kit.median(list)
	if #list == 0 then
		return 0
	end
	local s = {}
	for i, v in ipairs(list) do
		s[i] = v
	end
	table.sort(s)
	local m = (#s + 1) // 2
	if #s % 2 == 1 then
		return s[m]
	end
	return (s[m] + s[m + 1]) / 2
end

-- Cumulative counters of one port (pktgen updates them from its 1 s timer,
-- which runs inside pktgen.delay(); see kit.counters_after).
function kit.counters(port)
	local s = pktgen.portStats(tostring(port), "port")[port]
	return {
		tx = s.opackets, rx = s.ipackets,
		oerrors = s.oerrors, imissed = s.imissed, rx_nombuf = s.rx_nombuf,
	}
end

-- Counters read after at least one stats-timer period since the traffic
-- stopped, so that they include its last packets.
kit.SETTLE_MS = 1100

-- pktgen's per-second TX rate of one port and RX rate of another.
function kit.rates(tx_port, rx_port)
	local t = pktgen.portStats(tostring(tx_port), "rate")[tx_port]
	local r = pktgen.portStats(tostring(rx_port), "rate")[rx_port]
	return t.pkts_tx or t.opackets, r.pkts_rx or r.ipackets
end

-- Line rate in frames/s for pktgen frame size SIZE (FCS included), from
-- the link speed pktgen reports ("<UP-10000-FD>", Mbit/s).
function kit.line_pps(port, size)
	local state = pktgen.linkState(tostring(port))[port] or ""
	local mbps = tonumber(state:match("(%d+)")) or 0
	return mbps * 1e6 / ((size + kit.WIRE_OVERHEAD) * 8)
end

-- 198.18.1.1 + n, for range ends.
function kit.ip_add(ip, n)
	local a, b, c, d = ip:match("^(%d+)%.(%d+)%.(%d+)%.(%d+)$")
	if not a then
		error("not an IPv4 address: " .. tostring(ip))
	end
	local v = ((tonumber(a) * 256 + tonumber(b)) * 256 + tonumber(c)) * 256 + tonumber(d) + n
	return string.format("%d.%d.%d.%d", v >> 24 & 255, v >> 16 & 255, v >> 8 & 255, v & 255)
end

-- The RTP-shaped payload of generated packets: srtpfwd classifies by the
-- first byte (RFC 7983: 128-191 is RTP/RTCP) and drops anything else, so
-- pktgen's default "abcd..." fill would be dropped as unknown. 12 bytes of
-- an RTP header (V=2, PT=96); pktgen repeats the pattern over the payload.
-- No NUL byte: pktgen copies the pattern as a C string (16 bytes at most).
kit.RTP_PATTERN = "\x80\x60\x11\x11\x22\x22\x22\x22\x33\x33\x33\x33"

local RANGE_FIELDS = { dst_port = true, src_port = true, src_ip = true, dst_ip = true }

-- UDP flows from port P.TX_PORT in range mode: FLOWS flows, the fields in
-- P.VARY (comma list of dst_port, src_port, src_ip, dst_ip) advancing in
-- lockstep by one per packet, so flow i has base + i in each of them;
-- everything else fixed. Frame size P.SIZE (pktgen's, FCS included).
function kit.setup_flows(P)
	local pl = tostring(P.TX_PORT)
	local span = math.tointeger(P.FLOWS - 1) or error("FLOWS must be an integer")
	local vary = {}
	for f in P.VARY:gmatch("[^,]+") do
		if not RANGE_FIELDS[f] then
			error("VARY: unknown field " .. f)
		end
		vary[f] = true
	end
	local function field(fn, start, last, inc, varies)
		if not varies then
			last, inc = start, (type(inc) == "string" and "0.0.0.0" or 0)
		end
		fn(pl, "start", start)
		fn(pl, "inc", inc)
		fn(pl, "min", start)
		fn(pl, "max", last)
	end

	pktgen.set_type(pl, "ipv4")
	pktgen.set_proto(pl, "udp")
	pktgen.set(pl, "size", P.SIZE)
	-- The single packet (pktgen's latency packets are built from it) is
	-- flow 0, so that it too belongs to a session.
	pktgen.set_mac(pl, "dst", P.DST_MAC)
	pktgen.set_ipaddr(pl, "src", P.SRC_IP .. "/24")
	pktgen.set_ipaddr(pl, "dst", P.DST_IP)
	pktgen.set(pl, "sport", P.SRC_PORT)
	pktgen.set(pl, "dport", P.DST_PORT)
	if P.BURST > 0 then
		pktgen.set(pl, "burst", P.BURST)
	end
	pktgen.pattern(pl, "user")
	pktgen.userPattern(pl, kit.RTP_PATTERN)
	pktgen.range.ip_proto(pl, "udp")
	pktgen.range.dst_mac(pl, "start", P.DST_MAC)
	field(pktgen.range.src_ip, P.SRC_IP, kit.ip_add(P.SRC_IP, span), "0.0.0.1", vary.src_ip)
	field(pktgen.range.dst_ip, P.DST_IP, kit.ip_add(P.DST_IP, span), "0.0.0.1", vary.dst_ip)
	field(pktgen.range.src_port, P.SRC_PORT, P.SRC_PORT + span, 1, vary.src_port)
	field(pktgen.range.dst_port, P.DST_PORT, P.DST_PORT + span, 1, vary.dst_port)
	field(pktgen.range.pkt_size, P.SIZE, P.SIZE, 0, false)
	field(pktgen.range.ttl, 64, 64, 0, false)
	pktgen.set_range(pl, "on")
end

-- Send for P.SECONDS at P.RATE percent, one SAMPLE line a second; returns
-- the RESULT fields: medians of the per-second rates after P.WARMUP
-- seconds, and the totals from the counters (loss = TX port's sent minus
-- RX port's received, after the drain).
function kit.run_rate(script, P)
	local tx_pl = tostring(P.TX_PORT)
	pktgen.set(tx_pl, "count", 0)		-- send until stopped
	pktgen.set(tx_pl, "rate", string.format("%.3f", P.RATE))
	pktgen.clr()
	pktgen.delay(kit.SETTLE_MS)
	local t0, r0 = kit.counters(P.TX_PORT), kit.counters(P.RX_PORT)
	pktgen.start(tx_pl)
	local txs, rxs = {}, {}
	for t = 1, P.SECONDS do
		pktgen.delay(1000)
		local tx, rx = kit.rates(P.TX_PORT, P.RX_PORT)
		kit.emit("SAMPLE", script, { "t", "tx_pps", "rx_pps" }, { t = t, tx_pps = tx, rx_pps = rx })
		if t > P.WARMUP then
			txs[#txs + 1], rxs[#rxs + 1] = tx, rx
		end
	end
	pktgen.stop(tx_pl)
	pktgen.delay(math.max(P.DRAIN_MS, kit.SETTLE_MS))
	local t1, r1 = kit.counters(P.TX_PORT), kit.counters(P.RX_PORT)
	local sent, got = t1.tx - t0.tx, r1.rx - r0.rx
	return {
		tx_pps = kit.median(txs), rx_pps = kit.median(rxs), samples = #txs,
		tx_pkts = sent, rx_pkts = got,
		loss_pct = sent > 0 and 100 * (sent - got) / sent or 0,
		tx_oerrors = t1.oerrors - t0.oerrors, rx_imissed = r1.imissed - r0.imissed,
		rx_nombuf = r1.rx_nombuf - r0.rx_nombuf,
	}
end

kit.RATE_KEYS = { "tx_pps", "rx_pps", "samples", "tx_pkts", "rx_pkts", "loss_pct",
	"tx_oerrors", "rx_imissed", "rx_nombuf" }

-- Run main(P) for a script: screen off (its repaints would bury the
-- lines), the KIT line, then DONE or ERROR, then quit pktgen unless
-- P.QUIT is 0 (interactive use: `load bench/pktgen/range.lua`).
function kit.run(script, P, main)
	local path = os.getenv("PG_RESULT_FILE")
	if path and path ~= "" then
		result_file = assert(io.open(path, "a"))
	end
	pktgen.screen("off")
	local info = pktgen.info or {}
	local head = { kit = kit.VERSION, pktgen = info.Pktgen_Version or "unknown" }
	local keys = { "kit", "pktgen" }
	for _, name in ipairs(P._names) do
		head[name] = P[name]
		keys[#keys + 1] = name
	end
	kit.emit("KIT", script, keys, head)
	local ok, err = pcall(main, P)
	if ok then
		kit.emit("DONE", script, { "status" }, { status = "ok" })
	else
		kit.emit("ERROR", script, { "msg" }, { msg = tostring(err) })
	end
	if result_file then
		result_file:close()
		result_file = nil
	end
	if P.QUIT ~= 0 then
		pktgen.quit()
	end
	return ok
end

return kit
