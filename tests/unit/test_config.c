/* SPDX-License-Identifier: BSD-3-Clause */
/* config: every key, the embedded default, and one exact message per error. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <rte_common.h>

#include "config/config.h"

static const char full_config[] =
	"# every key\n"
	"[general]\n"
	"max-sessions = 100000\n"
	"mbufs = 65535\n"
	"mbuf-data-room = 4096\n"
	"burst = 64\n"
	"rx-desc = 2048\n"
	"tx-desc = 512\n"
	"punt-ring-size = 4096\n"
	"punt-rate = 1000   # trailing comment\n"
	"punt-rate-other = 300\n"
	"punt-rate-source = 20\n"
	"neigh-max = 256 ; other comment style\n"
	"udp-checksum = auto\n"
	"ng-listen = [2001:2::7]:22222\n"
	"\n"
	"  [interface access-1]  \n"
	"\tport = 0000:01:00.0\n"
	"vlan = 4094\n"
	"ttl = 1\n"
	"mac = 02:00:5e:10:aa:Bf\n"
	"ipv4 = 198.18.0.1/24\n"
	"ipv4 = 198.18.1.1/32\n"
	"ipv6 = 2001:2::1/64\n"
	"gateway4 = 198.18.0.254\n"
	"gateway6 = 2001:2::fe\n"
	"media-ports = 1024-65535\n"
	"neighbour = 198.18.0.254 02:00:00:00:00:fe\n"
	"neighbor = 2001:2::fe\t02:00:00:00:01:fe\n"
	"\n"
	"[interface core_2]\n"
	"port = net_ring0\n"
	"mac = auto\n"
	"ipv6 = 2001:2:0:1::1/64\n"
	"media-ports = 30000-30000\n";

static int
parse(const char *text, struct srtpfwd_config *cfg, char *err)
{
	err[0] = '\0';
	return config_parse(text, "t.conf", cfg, err, CONFIG_ERR_LEN);
}

static void
assert_prefix(const struct inet_prefix *p, const char *s)
{
	struct inet_prefix want;

	assert_int_equal(inet_prefix_parse(s, &want), 0);
	assert_true(inet_addr_equal(&p->addr, &want.addr));
	assert_int_equal(p->len, want.len);
}

static void
assert_addr(const struct inet_addr *a, const char *s)
{
	struct inet_addr want;

	assert_int_equal(inet_addr_parse(s, &want), 0);
	assert_true(inet_addr_equal(a, &want));
}

static void
test_full(void **state)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x10, 0xaa, 0xbf };
	static const uint8_t nmac0[6] = { 2, 0, 0, 0, 0, 0xfe };
	static const uint8_t nmac1[6] = { 2, 0, 0, 0, 1, 0xfe };
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];
	char ep[INET_ENDPOINT_STRLEN];
	const struct iface *a, *c;

	(void)state;
	assert_int_equal(parse(full_config, &cfg, err), 0);
	assert_string_equal(err, "");
	assert_int_equal(cfg.max_sessions, 100000);
	assert_int_equal(cfg.mbufs, 65535);
	assert_int_equal(cfg.mbuf_data_room, 4096);
	assert_int_equal(cfg.burst, 64);
	assert_int_equal(cfg.rx_desc, 2048);
	assert_int_equal(cfg.tx_desc, 512);
	assert_int_equal(cfg.punt_ring_size, 4096);
	assert_int_equal(cfg.punt_rate_arp_nd, 1000);
	assert_int_equal(cfg.punt_rate_dtls, 1000);
	assert_int_equal(cfg.punt_rate_other, 300);
	assert_int_equal(cfg.punt_rate_source, 20);
	assert_int_equal(cfg.neigh_max, 256);
	assert_false(cfg.udp_cksum_verify);
	assert_true(cfg.ng_enabled);
	assert_string_equal(inet_endpoint_format(&cfg.ng_listen, ep, sizeof(ep)),
			    "[2001:2::7]:22222");
	assert_int_equal(cfg.n_ifaces, 2);

	a = &cfg.ifaces[0];
	assert_string_equal(a->name, "access-1");
	assert_string_equal(a->port_name, "0000:01:00.0");
	assert_int_equal(a->vlan_id, 4094);
	assert_int_equal(a->ttl, 1);
	assert_true(a->mac_configured);
	assert_memory_equal(a->mac.addr_bytes, mac, 6);
	assert_int_equal(a->n_addrs, 3);
	assert_prefix(&a->addrs[0], "198.18.0.1/24");
	assert_prefix(&a->addrs[1], "198.18.1.1/32");
	assert_prefix(&a->addrs[2], "2001:2::1/64");
	assert_addr(&a->gateway4, "198.18.0.254");
	assert_addr(&a->gateway6, "2001:2::fe");
	assert_int_equal(a->media_port_min, 1024);
	assert_int_equal(a->media_port_max, 65535);
	assert_int_equal(a->n_static_neigh, 2);
	assert_addr(&a->static_neigh[0].ip, "198.18.0.254");
	assert_memory_equal(a->static_neigh[0].mac.addr_bytes, nmac0, 6);
	assert_addr(&a->static_neigh[1].ip, "2001:2::fe");
	assert_memory_equal(a->static_neigh[1].mac.addr_bytes, nmac1, 6);

	c = &cfg.ifaces[1];
	assert_string_equal(c->name, "core_2");
	assert_string_equal(c->port_name, "net_ring0");
	assert_int_equal(c->vlan_id, 0);
	assert_int_equal(c->ttl, 64);		/* default */
	assert_false(c->mac_configured);
	assert_int_equal(c->n_addrs, 1);
	assert_prefix(&c->addrs[0], "2001:2:0:1::1/64");
	assert_int_equal(c->gateway4.family, 0);
	assert_int_equal(c->gateway6.family, 0);
	assert_int_equal(c->media_port_min, 30000);
	assert_int_equal(c->media_port_max, 30000);
	assert_int_equal(c->n_static_neigh, 0);

	assert_int_equal(config_iface_by_name(&cfg, "access-1"), 0);
	assert_int_equal(config_iface_by_name(&cfg, "core_2"), 1);
	assert_int_equal(config_iface_by_name(&cfg, "core"), -ENOENT);
}

static void
test_defaults(void **state)
{
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];
	char ep[INET_ENDPOINT_STRLEN];

	(void)state;
	assert_int_equal(parse("[interface x]\nport=1\nipv4=198.18.0.1/15\n", &cfg, err), 0);
	assert_int_equal(cfg.max_sessions, 4096);
	assert_int_equal(cfg.mbufs, 16383);
	assert_int_equal(cfg.mbuf_data_room, 2176);
	assert_int_equal(cfg.burst, 32);
	assert_int_equal(cfg.rx_desc, 1024);
	assert_int_equal(cfg.tx_desc, 1024);
	assert_int_equal(cfg.punt_ring_size, 1024);
	assert_int_equal(cfg.punt_rate_arp_nd, 2000);
	assert_int_equal(cfg.punt_rate_dtls, 5000);
	assert_int_equal(cfg.punt_rate_other, 10000);
	assert_int_equal(cfg.punt_rate_source, 100);
	assert_int_equal(cfg.neigh_max, 1024);
	assert_true(cfg.udp_cksum_verify);
	assert_true(cfg.ng_enabled);
	assert_string_equal(inet_endpoint_format(&cfg.ng_listen, ep, sizeof(ep)),
			    "127.0.0.1:2223");
	assert_int_equal(cfg.ifaces[0].media_port_min, 20000);
	assert_int_equal(cfg.ifaces[0].media_port_max, 59999);
	assert_int_equal(cfg.ifaces[0].ttl, 64);
	/* Windows line ends and no final newline. */
	assert_int_equal(parse("[general]\r\nburst = 8\r\n[interface x]\r\nport=1\r\n"
			       "ipv4=198.18.0.1/15", &cfg, err), 0);
	assert_int_equal(cfg.burst, 8);
	assert_string_equal(cfg.ifaces[0].port_name, "1");
}

static void
test_embedded_default(void **state)
{
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];

	(void)state;
	assert_int_equal(config_parse(config_embedded_default(), "<default>", &cfg, err,
				      sizeof(err)), 0);
	assert_int_equal(cfg.max_sessions, 4096);
	assert_int_equal(cfg.n_ifaces, 2);
	assert_string_equal(cfg.ifaces[0].name, "access");
	assert_string_equal(cfg.ifaces[0].port_name, "0");
	assert_int_equal(cfg.ifaces[0].n_addrs, 2);
	assert_prefix(&cfg.ifaces[0].addrs[0], "198.18.0.1/24");
	assert_prefix(&cfg.ifaces[0].addrs[1], "2001:2::1/64");
	assert_int_equal(cfg.ifaces[0].media_port_min, 20000);
	assert_int_equal(cfg.ifaces[0].media_port_max, 29999);
	assert_string_equal(cfg.ifaces[1].name, "core");
	assert_string_equal(cfg.ifaces[1].port_name, "1");
	assert_prefix(&cfg.ifaces[1].addrs[0], "198.19.0.1/24");
	assert_prefix(&cfg.ifaces[1].addrs[1], "2001:2:0:1::1/64");
	assert_int_equal(cfg.ifaces[1].media_port_min, 30000);
	assert_int_equal(cfg.ifaces[1].media_port_max, 39999);
}

#define IF_OK "[interface a]\nport = 0\nipv4 = 198.18.0.1/24\n"

static const struct {
	const char *text;
	const char *err;
} bad[] = {
	{ "[general]\nbogus = 1\n" IF_OK, "t.conf:2: unknown key 'bogus' in [general]" },
	{ IF_OK "colour = red\n", "t.conf:4: unknown key 'colour' in [interface a]" },
	{ "[globals]\n", "t.conf:1: unknown section [globals] (expected [general], "
		       "[interface NAME] or [mediation-function NAME])" },
	{ "[interfaces a]\n", "t.conf:1: unknown section [interfaces a] (expected [general], "
			    "[interface NAME] or [mediation-function NAME])" },
	{ IF_OK "[mediation-function m]\naddress = 198.18.200.2\n",
	  "t.conf:5: [mediation-function m] needs 'address' and 'port'" },
	{ IF_OK "[mediation-function m]\naddress = 198.18.200.2\nport = 1\n",
	  "t.conf:6: [mediation-function m]: transport tls needs certificate, private-key and ca" },
	{ IF_OK "[mediation-function m]\nport = 0\n",
	  "t.conf:5: port: '0' out of range (1-65535)" },
	{ IF_OK "[mediation-function m]\nqueue-bytes = 10\n",
	  "t.conf:5: queue-bytes: '10' out of range (65536-1073741824)" },
	{ IF_OK "[mediation-function m]\ntransport = udp\n",
	  "t.conf:5: transport: 'tls' or 'tcp', not 'udp'" },
	{ IF_OK "[mediation-function m]\naddress = mf.example\n",
	  "t.conf:5: address: 'mf.example' is not an IP address" },
	{ IF_OK "[mediation-function m]\ncolour = red\n",
	  "t.conf:5: unknown key 'colour' in [mediation-function m]" },
	{ IF_OK "[mediation-function m m]\n",
	  "t.conf:4: mediation-function name 'm m': use letters, digits, '-' and '_'" },
	{ IF_OK "[mediation-function m]\ntransport = tcp\naddress = 198.18.200.2\nport = 9\n"
		"[mediation-function m]\n", "t.conf:8: mediation-function 'm' defined twice" },
	{ "[interface]\n", "t.conf:1: unknown section [interface] (expected [general], "
			 "[interface NAME] or [mediation-function NAME])" },
	{ "[interface a.b]\n", "t.conf:1: interface name 'a.b': use letters, digits, '-' "
			     "and '_'" },
	{ "[interface aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n",
	  "t.conf:1: interface name must be 1..31 characters" },
	{ "[general]\nburst = 12x\n", "t.conf:2: burst: '12x' is not a number" },
	{ "[general]\nburst = -1\n", "t.conf:2: burst: '-1' is not a number" },
	{ "[general]\nburst = 99999999999999999999999\n",
	  "t.conf:2: burst: '99999999999999999999999' is not a number" },
	{ "[general]\nmax-sessions = 0x10\n", "t.conf:2: max-sessions: '0x10' is not a number" },
	{ "[general]\n\nburst = 65\n", "t.conf:3: burst: 65 is outside 1..64" },
	{ "[general]\nburst = 0\n", "t.conf:2: burst: 0 is outside 1..64" },
	{ "[general]\nmbufs = 1023\n", "t.conf:2: mbufs: 1023 is outside 1024..16777216" },
	{ "[general]\nneigh-max = 7\n", "t.conf:2: neigh-max: 7 is outside 8..1048576" },
	{ "[general]\nng-listen = 2001:2::7:2223\n",
	  "t.conf:2: ng-listen: '2001:2::7:2223' is neither ADDR:PORT, [ADDR6]:PORT nor 'off'" },
	{ "[general]\nng-listen = 127.0.0.1\n",
	  "t.conf:2: ng-listen: '127.0.0.1' is neither ADDR:PORT, [ADDR6]:PORT nor 'off'" },
	{ "[general]\nudp-checksum = off\n",
	  "t.conf:2: udp-checksum: 'off' is neither 'auto' nor 'verify'" },
	{ IF_OK "vlan = 4095\n", "t.conf:4: vlan: 4095 is outside 0..4094" },
	{ IF_OK "ttl = 0\n", "t.conf:4: ttl: 0 is outside 1..255" },
	{ IF_OK "ttl = 256\n", "t.conf:4: ttl: 256 is outside 1..255" },
	{ IF_OK "mac = 02:00:00:00:00\n",
	  "t.conf:4: mac: '02:00:00:00:00' is not a unicast MAC address" },
	{ IF_OK "mac = 02:00:00:00:00:00:00\n",
	  "t.conf:4: mac: '02:00:00:00:00:00:00' is not a unicast MAC address" },
	{ IF_OK "mac = 01:00:5e:00:00:01\n",
	  "t.conf:4: mac: '01:00:5e:00:00:01' is not a unicast MAC address" },
	{ IF_OK "mac = 00:00:00:00:00:00\n",
	  "t.conf:4: mac: '00:00:00:00:00:00' is not a unicast MAC address" },
	{ IF_OK "mac = 02:00:00:00:00:-1\n",
	  "t.conf:4: mac: '02:00:00:00:00:-1' is not a unicast MAC address" },
	{ IF_OK "mac = 02:00:00:00:00: 1\n",
	  "t.conf:4: mac: '02:00:00:00:00: 1' is not a unicast MAC address" },
	{ IF_OK "mac = 02:00:00:00:00:123\n",
	  "t.conf:4: mac: '02:00:00:00:00:123' is not a unicast MAC address" },
	{ IF_OK "mac = 02-00-00-00-00-01\n",
	  "t.conf:4: mac: '02-00-00-00-00-01' is not a unicast MAC address" },
	{ IF_OK "ipv4 = 198.18.0.0/33\n",
	  "t.conf:4: ipv4: '198.18.0.0/33' is not an IPv4 address/prefix-length" },
	{ IF_OK "ipv4 = 198.18.0.2\n",
	  "t.conf:4: ipv4: '198.18.0.2' is not an IPv4 address/prefix-length" },
	{ IF_OK "ipv4 = 2001::1/64\n",
	  "t.conf:4: ipv4: '2001::1/64' is not an IPv4 address/prefix-length" },
	{ IF_OK "ipv6 = 198.18.0.2/24\n",
	  "t.conf:4: ipv6: '198.18.0.2/24' is not an IPv6 address/prefix-length" },
	{ IF_OK "ipv4 = 198.18.0.1/16\n", "t.conf:4: ipv4: '198.18.0.1/16' given twice" },
	{ IF_OK "gateway4 = 2001:2::1\n", "t.conf:4: gateway4: '2001:2::1' is not an IPv4 address" },
	{ IF_OK "gateway6 = 198.18.0.1\n",
	  "t.conf:4: gateway6: '198.18.0.1' is not an IPv6 address" },
	{ IF_OK "media-ports = 1023-2000\n",
	  "t.conf:4: media-ports: '1023-2000' is not a range LOW-HIGH within 1024-65535" },
	{ IF_OK "media-ports = 2000-65536\n",
	  "t.conf:4: media-ports: '2000-65536' is not a range LOW-HIGH within 1024-65535" },
	{ IF_OK "media-ports = 3000-2000\n",
	  "t.conf:4: media-ports: '3000-2000' is not a range LOW-HIGH within 1024-65535" },
	{ IF_OK "media-ports = 3000\n",
	  "t.conf:4: media-ports: '3000' is not a range LOW-HIGH within 1024-65535" },
	{ IF_OK "neighbour = 198.18.0.9\n", "t.conf:4: neighbour: expected 'ADDRESS MAC'" },
	{ IF_OK "neighbour = 198.18.0.x 02:00:00:00:00:01\n",
	  "t.conf:4: neighbour: '198.18.0.x' is not an IP address" },
	{ IF_OK "neighbour = 198.18.0.9 02:00:00:00:01\n",
	  "t.conf:4: neighbour: '02:00:00:00:01' is not a MAC address" },
	{ IF_OK "neighbour = 198.18.0.9 02:00:00:00:00:1g\n",
	  "t.conf:4: neighbour: '02:00:00:00:00:1g' is not a MAC address" },
	{ IF_OK "[interface a]\n", "t.conf:4: interface 'a' defined twice" },
	{ "[interface a]\nipv4 = 198.18.0.1/24\n[general]\n",
	  "t.conf:3: [interface a] has no 'port'" },
	{ "[interface a]\nipv4 = 198.18.0.1/24\n", "t.conf:2: [interface a] has no 'port'" },
	{ "[interface a]\nport = 0\n", "t.conf:2: [interface a] has no ipv4 or ipv6 address" },
	{ IF_OK "[interface b]\nport = 0\nipv4 = 198.19.0.1/24\n",
	  "t.conf:6: [interface b] uses port 0 vlan 0 like [interface a]" },
	{ IF_OK "vlan = 7\n[interface b]\nport = 0\nvlan = 7\nipv4 = 198.19.0.1/24\n"
		"[general]\n", "t.conf:9: [interface b] uses port 0 vlan 7 like [interface a]" },
	{ "[general\n", "t.conf:1: section header needs a closing ']'" },
	{ "[general] x\n", "t.conf:1: section header needs a closing ']'" },
	{ "[general]\nburst\n", "t.conf:2: expected 'key = value' or '[section]'" },
	{ "[general]\nburst =\n", "t.conf:2: burst: empty value" },
	{ "burst = 1\n", "t.conf:1: 'burst' outside any section" },
	{ "", "t.conf:0: no [interface NAME] section" },
	{ "# nothing\n[general]\n", "t.conf:2: no [interface NAME] section" },
	{ IF_OK "port = 0123456789012345678901234567890123456789012345678901234567890123\n",
	  "t.conf:4: port: name too long" },
};

static void
test_errors(void **state)
{
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];

	(void)state;
	for (unsigned int i = 0; i < RTE_DIM(bad); i++) {
		if (parse(bad[i].text, &cfg, err) != -EINVAL)
			fail_msg("case %u accepted: %s", i, bad[i].text);
		if (strcmp(err, bad[i].err) != 0)
			fail_msg("case %u: got \"%s\", want \"%s\"", i, err, bad[i].err);
	}
}

static void
test_line_too_long(void **state)
{
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];
	char text[2048];
	int n;

	(void)state;
	/* 511 characters fit (a comment line), 512 do not. */
	n = snprintf(text, sizeof(text), "[general]\n#");
	memset(text + n, 'x', 510);
	n += 510;
	n += snprintf(text + n, sizeof(text) - (size_t)n, "\n%s", IF_OK);
	assert_int_equal(parse(text, &cfg, err), 0);
	n = snprintf(text, sizeof(text), "[general]\n\n#");
	memset(text + n, 'x', 511);
	n += 511;
	snprintf(text + n, sizeof(text) - (size_t)n, "\n%s", IF_OK);
	assert_int_equal(parse(text, &cfg, err), -EINVAL);
	assert_string_equal(err, "t.conf:3: line longer than 511 characters");
}

static void
test_numbers_decimal(void **state)
{
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];

	(void)state;
	/* A leading zero is not octal. */
	assert_int_equal(parse("[general]\nmax-sessions = 010\nburst = 08\n" IF_OK, &cfg, err), 0);
	assert_int_equal(cfg.max_sessions, 10);
	assert_int_equal(cfg.burst, 8);
	/* One hex digit per group is a MAC too. */
	assert_int_equal(parse(IF_OK "mac = 2:0:a:0:0:F\n", &cfg, err), 0);
	assert_memory_equal(cfg.ifaces[0].mac.addr_bytes,
			    ((const uint8_t[6]){ 2, 0, 0xa, 0, 0, 0xf }), 6);
}

/* ng-listen = off: no ng server. */
static void
test_ng_off(void **state)
{
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];

	(void)state;
	assert_int_equal(parse("[general]\nng-listen = off\n[interface x]\nport=1\n"
			       "ipv4=198.18.0.1/15\n", &cfg, err), 0);
	assert_false(cfg.ng_enabled);
}

static void
test_limits(void **state)
{
	char text[8192];
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];
	int n = 0;

	(void)state;
	for (int i = 0; i < IFACE_MAX; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n,
			      "[interface i%d]\nport = %d\nipv4 = 198.18.%d.1/24\n", i, i, i);
	assert_int_equal(parse(text, &cfg, err), 0);
	assert_int_equal(cfg.n_ifaces, IFACE_MAX);
	snprintf(text + n, sizeof(text) - (size_t)n, "[interface extra]\n");
	assert_int_equal(parse(text, &cfg, err), -EINVAL);
	assert_string_equal(err, "t.conf:49: more than 16 interfaces");
}

static void
test_mediation_function(void **state)
{
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN];

	(void)state;
	assert_int_equal(parse(IF_OK "[mediation-function mf1]\naddress = 198.18.200.2\nport = 40443\n"
			       "certificate = /c.pem\nprivate-key = /k.pem\nca = /ca.pem\n"
			       "keepalive = 0\n[mediation-function plain]\ntransport = tcp\n"
			       "address = 2001:2::9\nport = 9\nqueue-bytes = 65536\n", &cfg, err), 0);
	assert_int_equal(cfg.n_mfs, 2);
	assert_int_equal(config_mf_by_name(&cfg, "plain"), 1);
	assert_int_equal(config_mf_by_name(&cfg, "none"), -ENOENT);
	assert_true(cfg.mfs[0].tls);
	assert_string_equal(cfg.mfs[0].ca, "/ca.pem");
	assert_int_equal(cfg.mfs[0].keepalive_s, 0);
	assert_int_equal(cfg.mfs[0].queue_bytes, 4u << 20);
	assert_int_equal(rte_be_to_cpu_16(cfg.mfs[0].addr.port), 40443);
	assert_false(cfg.mfs[1].tls);
	assert_int_equal(cfg.mfs[1].addr.family, INET_FAMILY_V6);
	assert_int_equal(cfg.mfs[1].keepalive_s, 10);
	assert_int_equal(cfg.mfs[1].queue_bytes, 65536);
}

static void
test_load_file(void **state)
{
	char path[] = "/tmp/srtpfwd_config_XXXXXX";
	struct srtpfwd_config cfg;
	char err[CONFIG_ERR_LEN], want[CONFIG_ERR_LEN + 64];
	FILE *f;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(IF_OK "ttl = 300\n", f);
	fclose(f);
	assert_int_equal(config_load_file(path, &cfg, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:4: ttl: 300 is outside 1..255", path);
	assert_string_equal(err, want);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(IF_OK "#\0x\n", 1, sizeof(IF_OK "#\0x\n") - 1, f);
	fclose(f);
	assert_int_equal(config_load_file(path, &cfg, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s: contains a NUL byte", path);
	assert_string_equal(err, want);
	unlink(path);
	assert_int_equal(config_load_file(path, &cfg, err, sizeof(err)), -ENOENT);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_string_equal(err, want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_embedded_default),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_line_too_long),
		cmocka_unit_test(test_numbers_decimal),
		cmocka_unit_test(test_ng_off),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_mediation_function),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
