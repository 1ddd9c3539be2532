/* SPDX-License-Identifier: BSD-3-Clause */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"

#define LINE_MAX_LEN 512

static const char embedded_default[] =
	"# srtpfwd embedded default: access side on port 0, core side on port 1.\n"
	"[general]\n"
	"max-sessions = 4096\n"
	"\n"
	"[interface access]\n"
	"port = 0\n"
	"ipv4 = 198.18.0.1/24\n"
	"ipv6 = 2001:2::1/64\n"
	"media-ports = 20000-29999\n"
	"\n"
	"[interface core]\n"
	"exposed = no\n"
	"port = 1\n"
	"ipv4 = 198.19.0.1/24\n"
	"ipv6 = 2001:2:0:1::1/64\n"
	"media-ports = 30000-39999\n";

struct parser {
	const char *origin;
	unsigned int line;
	char *err;
	size_t errlen;
	struct srtpfwd_config *cfg;
	struct iface *ifc;		/* current [interface] section, or NULL */
	struct config_mf *mf;		/* current [mediation-function] section, or NULL */
	bool in_general;
};

static int
fail(struct parser *p, const char *fmt, ...)
{
	char msg[CONFIG_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u: %s", p->origin, p->line, msg);
	return -EINVAL;
}

void
config_defaults(struct srtpfwd_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_sessions = 4096;
	cfg->mbufs = 16383;
	cfg->li_mbufs = 8191;
	cfg->mbuf_data_room = 2048 + 128;
	cfg->burst = 32;
	cfg->rx_desc = 1024;
	cfg->tx_desc = 1024;
	cfg->punt_ring_size = 1024;
	cfg->punt_rate_arp_nd = 2000;
	cfg->punt_rate_dtls = 5000;
	cfg->punt_rate_other = 10000;
	cfg->punt_rate_source = 100;
	cfg->neigh_max = 1024;
	cfg->neigh_idle = 300;
	cfg->neigh_probes = 3;
	cfg->srtp_contexts = 1024;
	/* Bad checksums are counted drops unless the operator chooses auto. */
	cfg->udp_cksum_verify = true;
	/* Signalling on loopback unless the operator exposes it. */
	cfg->ng_enabled = true;
	inet_endpoint_parse("127.0.0.1:2223", &cfg->ng_listen);
	cfg->media_timeout_s = 60;
}

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int
parse_u32(struct parser *p, const char *key, const char *v, uint64_t min, uint64_t max,
	  uint64_t *out)
{
	char *end;
	unsigned long long x;

	errno = 0;
	if (!isdigit((unsigned char)v[0]))
		return fail(p, "%s: '%s' is not a number", key, v);
	x = strtoull(v, &end, 10);
	if (errno != 0 || *end != '\0')
		return fail(p, "%s: '%s' is not a number", key, v);
	if (x < min || x > max)
		return fail(p, "%s: %llu is outside %llu..%llu", key, x,
			    (unsigned long long)min, (unsigned long long)max);
	*out = x;
	return 0;
}

static int
general_key(struct parser *p, const char *key, const char *v)
{
	struct srtpfwd_config *c = p->cfg;
	uint64_t x;
	int ret;

#define NUM(name, field, lo, hi) \
	if (strcmp(key, name) == 0) { \
		ret = parse_u32(p, key, v, lo, hi, &x); \
		if (ret == 0) \
			c->field = (__typeof__(c->field))x; \
		return ret; \
	}
	NUM("max-sessions", max_sessions, 1, 1u << 23)
	NUM("mbufs", mbufs, 1024, 1u << 24)
	NUM("li-mbufs", li_mbufs, 1023, 1u << 20)
	NUM("mbuf-data-room", mbuf_data_room, 512, 16384)
	NUM("burst", burst, 1, 64)
	NUM("rx-desc", rx_desc, 64, 16384)
	NUM("tx-desc", tx_desc, 64, 16384)
	NUM("punt-ring-size", punt_ring_size, 64, 1u << 20)
	NUM("punt-rate-arp-nd", punt_rate_arp_nd, 1, 100000000)
	NUM("punt-rate-dtls", punt_rate_dtls, 1, 100000000)
	NUM("punt-rate-other", punt_rate_other, 1, 100000000)
	NUM("punt-rate-source", punt_rate_source, 1, 100000000)
	NUM("neigh-max", neigh_max, 8, 1u << 20)
	NUM("neigh-idle", neigh_idle, 1, 86400)
	NUM("neigh-probes", neigh_probes, 1, 10)
	NUM("srtp-contexts", srtp_contexts, 4, 1u << 22)
#undef NUM
	if (strcmp(key, "punt-rate") == 0) {
		ret = parse_u32(p, key, v, 1, 100000000, &x);
		if (ret == 0) {
			c->punt_rate_arp_nd = (uint32_t)x;
			c->punt_rate_dtls = (uint32_t)x;
			c->punt_rate_other = (uint32_t)x;
		}
		return ret;
	}
	if (strcmp(key, "udp-checksum") == 0) {
		if (strcmp(v, "verify") != 0 && strcmp(v, "auto") != 0)
			return fail(p, "udp-checksum: '%s' is neither 'auto' nor 'verify'", v);
		c->udp_cksum_verify = strcmp(v, "verify") == 0;
		return 0;
	}
	if (strcmp(key, "ng-listen") == 0) {
		c->ng_enabled = strcmp(v, "off") != 0;
		c->ng_listen_given = true;
		if (c->ng_enabled && inet_endpoint_parse(v, &c->ng_listen) != 0)
			return fail(p, "ng-listen: '%s' is neither ADDR:PORT, [ADDR6]:PORT nor 'off'",
				    v);
		return 0;
	}
	if (strcmp(key, "ng-listen-tcp") == 0) {
		c->ng_tcp_enabled = strcmp(v, "off") != 0;
		if (c->ng_tcp_enabled && inet_endpoint_parse(v, &c->ng_listen_tcp) != 0)
			return fail(p, "ng-listen-tcp: '%s' is neither ADDR:PORT, [ADDR6]:PORT nor 'off'",
				    v);
		return 0;
	}
	if (strcmp(key, "media-timeout") == 0) {
		char *end;
		unsigned long t = strtoul(v, &end, 10);

		if (*v == '\0' || *end != '\0' || t > 86400)
			return fail(p, "media-timeout: '%s' is not 0..86400 seconds", v);
		c->media_timeout_s = (uint32_t)t;
		return 0;
	}
	return fail(p, "unknown key '%s' in [general]", key);
}

static int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * Six groups of one or two hex digits separated by ':'. Not sscanf("%2x"):
 * it also takes blanks and a sign, so "02:00:00:00:00:-1" parsed.
 */
static int
parse_mac(const char *s, struct rte_ether_addr *mac)
{
	for (int i = 0; i < RTE_ETHER_ADDR_LEN; i++) {
		int hi = hex_digit(*s++), lo;

		if (hi < 0)
			return -EINVAL;
		lo = hex_digit(*s);
		if (lo >= 0) {
			hi = hi * 16 + lo;
			s++;
		}
		mac->addr_bytes[i] = (uint8_t)hi;
		if (*s++ != (i == RTE_ETHER_ADDR_LEN - 1 ? '\0' : ':'))
			return -EINVAL;
	}
	return 0;
}

static int
iface_key(struct parser *p, const char *key, char *v)
{
	struct iface *ifc = p->ifc;
	uint64_t x;
	int ret;

	if (strcmp(key, "port") == 0) {
		if (strlen(v) >= sizeof(ifc->port_name))
			return fail(p, "port: name too long");
		strcpy(ifc->port_name, v);
		return 0;
	}
	if (strcmp(key, "vlan") == 0) {
		ret = parse_u32(p, key, v, 0, 4094, &x);
		if (ret == 0)
			ifc->vlan_id = (uint16_t)x;
		return ret;
	}
	if (strcmp(key, "exposed") == 0) {
		if (strcmp(v, "yes") != 0 && strcmp(v, "no") != 0)
			return fail(p, "exposed: '%s' is neither yes nor no", v);
		ifc->exposed = v[0] == 'y';
		return 0;
	}
	if (strcmp(key, "ttl") == 0) {
		ret = parse_u32(p, key, v, 1, 255, &x);
		if (ret == 0)
			ifc->ttl = (uint8_t)x;
		return ret;
	}
	if (strcmp(key, "mac") == 0) {
		if (strcmp(v, "auto") == 0) {
			ifc->mac_configured = false;
			return 0;
		}
		if (parse_mac(v, &ifc->mac) != 0 || !rte_is_unicast_ether_addr(&ifc->mac) ||
		    rte_is_zero_ether_addr(&ifc->mac))
			return fail(p, "mac: '%s' is not a unicast MAC address", v);
		ifc->mac_configured = true;
		return 0;
	}
	if (strcmp(key, "ipv4") == 0 || strcmp(key, "ipv6") == 0) {
		struct inet_prefix pfx;
		uint8_t want = key[3] == '4' ? INET_FAMILY_V4 : INET_FAMILY_V6;

		if (inet_prefix_parse(v, &pfx) != 0 || pfx.addr.family != want)
			return fail(p, "%s: '%s' is not an %s address/prefix-length", key, v,
				    want == INET_FAMILY_V4 ? "IPv4" : "IPv6");
		if (ifc->n_addrs == IFACE_MAX_ADDRS)
			return fail(p, "%s: more than %d addresses", key, IFACE_MAX_ADDRS);
		if (iface_owns_addr(ifc, &pfx.addr))
			return fail(p, "%s: '%s' given twice", key, v);
		ifc->addrs[ifc->n_addrs++] = pfx;
		return 0;
	}
	if (strcmp(key, "gateway4") == 0 || strcmp(key, "gateway6") == 0) {
		struct inet_addr *gw = key[7] == '4' ? &ifc->gateway4 : &ifc->gateway6;
		uint8_t want = key[7] == '4' ? INET_FAMILY_V4 : INET_FAMILY_V6;

		if (inet_addr_parse(v, gw) != 0 || gw->family != want)
			return fail(p, "%s: '%s' is not an %s address", key, v,
				    want == INET_FAMILY_V4 ? "IPv4" : "IPv6");
		return 0;
	}
	if (strcmp(key, "media-ports") == 0) {
		unsigned int lo, hi;
		char tail;

		if (sscanf(v, "%u-%u%c", &lo, &hi, &tail) != 2 || lo < 1024 || hi > 65535 ||
		    lo > hi)
			return fail(p, "media-ports: '%s' is not a range LOW-HIGH within 1024-65535",
				    v);
		ifc->media_port_min = (uint16_t)lo;
		ifc->media_port_max = (uint16_t)hi;
		return 0;
	}
	if (strcmp(key, "neighbour") == 0 || strcmp(key, "neighbor") == 0) {
		struct iface_static_neigh *n;
		char *mac = strpbrk(v, " \t");

		if (ifc->n_static_neigh == IFACE_MAX_STATIC_NEIGH)
			return fail(p, "neighbour: more than %d", IFACE_MAX_STATIC_NEIGH);
		n = &ifc->static_neigh[ifc->n_static_neigh];
		if (mac == NULL)
			return fail(p, "neighbour: expected 'ADDRESS MAC'");
		*mac++ = '\0';
		mac = trim(mac);
		if (inet_addr_parse(v, &n->ip) != 0)
			return fail(p, "neighbour: '%s' is not an IP address", v);
		if (parse_mac(mac, &n->mac) != 0)
			return fail(p, "neighbour: '%s' is not a MAC address", mac);
		ifc->n_static_neigh++;
		return 0;
	}
	return fail(p, "unknown key '%s' in [interface %s]", key, ifc->name);
}

static int
path_value(struct parser *p, const char *key, const char *v, char *dst)
{
	if (strlen(v) >= CONFIG_PATH_LEN)
		return fail(p, "%s: path longer than %d characters", key, CONFIG_PATH_LEN - 1);
	strcpy(dst, v);
	return 0;
}

static int
mf_key(struct parser *p, const char *key, const char *v)
{
	struct config_mf *mf = p->mf;
	struct inet_addr a;
	unsigned long n;
	char *end;

	if (strcmp(key, "address") == 0) {
		if (inet_addr_parse(v, &a) != 0)
			return fail(p, "address: '%s' is not an IP address", v);
		inet_endpoint_set(&mf->addr, &a, mf->addr.port);
		return 0;
	}
	if (strcmp(key, "port") == 0 || strcmp(key, "queue-bytes") == 0 ||
	    strcmp(key, "keepalive") == 0) {
		n = strtoul(v, &end, 10);
		if (*end != '\0' || v[0] == '-' ||
		    (key[0] == 'p' && (n < 1 || n > 65535)) ||
		    (key[0] == 'q' && (n < 65536 || n > (1ul << 30))) ||
		    (key[0] == 'k' && n > 3600))
			return fail(p, "%s: '%s' out of range (%s)", key, v,
				    key[0] == 'p' ? "1-65535" : key[0] == 'q' ? "65536-1073741824" :
				    "0-3600 s");
		if (key[0] == 'p')
			mf->addr.port = rte_cpu_to_be_16((uint16_t)n);
		else if (key[0] == 'q')
			mf->queue_bytes = (uint32_t)n;
		else
			mf->keepalive_s = (uint32_t)n;
		return 0;
	}
	if (strcmp(key, "transport") == 0) {
		if (strcmp(v, "tls") != 0 && strcmp(v, "tcp") != 0)
			return fail(p, "transport: 'tls' or 'tcp', not '%s'", v);
		mf->tls = strcmp(v, "tls") == 0;
		return 0;
	}
	if (strcmp(key, "certificate") == 0)
		return path_value(p, key, v, mf->cert);
	if (strcmp(key, "private-key") == 0)
		return path_value(p, key, v, mf->key);
	if (strcmp(key, "ca") == 0)
		return path_value(p, key, v, mf->ca);
	return fail(p, "unknown key '%s' in [mediation-function %s]", key, mf->name);
}

static int
check_mf(struct parser *p, const struct config_mf *mf)
{
	if (mf->addr.family == 0 || mf->addr.port == 0)
		return fail(p, "[mediation-function %s] needs 'address' and 'port'", mf->name);
	if (mf->tls && (mf->cert[0] == '\0' || mf->key[0] == '\0' || mf->ca[0] == '\0'))
		return fail(p, "[mediation-function %s]: transport tls needs certificate, private-key and ca",
			    mf->name);
	return 0;
}

static int
section_name_ok(struct parser *p, const char *what, const char *name, size_t max)
{
	if (name[0] == '\0' || strlen(name) >= max)
		return fail(p, "%s name must be 1..%zu characters", what, max - 1);
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
			return fail(p, "%s name '%s': use letters, digits, '-' and '_'", what, name);
	return 0;
}

static int
mf_section(struct parser *p, const char *name)
{
	struct config_mf *mf;
	int ret = section_name_ok(p, "mediation-function", name, CONFIG_MF_NAME_LEN);

	if (ret != 0)
		return ret;
	if (config_mf_by_name(p->cfg, name) >= 0)
		return fail(p, "mediation-function '%s' defined twice", name);
	if (p->cfg->n_mfs == CONFIG_MF_MAX)
		return fail(p, "more than %d mediation functions", CONFIG_MF_MAX);
	mf = &p->cfg->mfs[p->cfg->n_mfs++];
	memset(mf, 0, sizeof(*mf));
	strcpy(mf->name, name);
	mf->tls = true;
	mf->queue_bytes = 4u << 20;
	mf->keepalive_s = 10;
	p->mf = mf;
	return 0;
}

static int
section(struct parser *p, char *s)
{
	char *name;
	struct iface *ifc;

	p->ifc = NULL;
	p->mf = NULL;
	p->in_general = false;
	if (strcmp(s, "general") == 0) {
		p->in_general = true;
		return 0;
	}
	if (strncmp(s, "mediation-function", 18) == 0 && isspace((unsigned char)s[18]))
		return mf_section(p, trim(s + 18));
	if (strncmp(s, "interface", 9) != 0 || !isspace((unsigned char)s[9]))
		return fail(p, "unknown section [%s] (expected [general], [interface NAME] or [mediation-function NAME])", s);
	name = trim(s + 9);
	if (name[0] == '\0' || strlen(name) >= IFACE_NAME_LEN)
		return fail(p, "interface name must be 1..%d characters", IFACE_NAME_LEN - 1);
	for (const char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '-' && *c != '_')
			return fail(p, "interface name '%s': use letters, digits, '-' and '_'",
				    name);
	if (config_iface_by_name(p->cfg, name) >= 0)
		return fail(p, "interface '%s' defined twice", name);
	if (p->cfg->n_ifaces == IFACE_MAX)
		return fail(p, "more than %d interfaces", IFACE_MAX);
	ifc = &p->cfg->ifaces[p->cfg->n_ifaces++];
	memset(ifc, 0, sizeof(*ifc));
	strcpy(ifc->name, name);
	ifc->ttl = 64;
	/* Until told otherwise an interface faces the internet: no leg learns from anyone there. */
	ifc->exposed = true;
	ifc->media_port_min = 20000;
	ifc->media_port_max = 59999;
	p->ifc = ifc;
	return 0;
}

/* Cross-field checks once a section is complete. */
static int
check_iface(struct parser *p, const struct iface *ifc)
{
	if (ifc->port_name[0] == '\0')
		return fail(p, "[interface %s] has no 'port'", ifc->name);
	if (ifc->n_addrs == 0)
		return fail(p, "[interface %s] has no ipv4 or ipv6 address", ifc->name);
	for (unsigned int i = 0; i < p->cfg->n_ifaces; i++) {
		const struct iface *o = &p->cfg->ifaces[i];

		if (o == ifc)
			break;
		if (strcmp(o->port_name, ifc->port_name) == 0 && o->vlan_id == ifc->vlan_id)
			return fail(p, "[interface %s] uses port %s vlan %u like [interface %s]",
				    ifc->name, ifc->port_name, ifc->vlan_id, o->name);
	}
	return 0;
}

int
config_parse(const char *text, const char *origin, struct srtpfwd_config *cfg, char *err,
	     size_t errlen)
{
	struct parser p = { .origin = origin, .err = err, .errlen = errlen, .cfg = cfg };
	const char *cur = text;
	char buf[LINE_MAX_LEN];
	int ret;

	config_defaults(cfg);
	while (*cur != '\0') {
		const char *nl = strchr(cur, '\n');
		size_t len = nl != NULL ? (size_t)(nl - cur) : strlen(cur);
		char *line, *eq, *hash;

		p.line++;
		if (len >= sizeof(buf))
			return fail(&p, "line longer than %d characters", LINE_MAX_LEN - 1);
		memcpy(buf, cur, len);
		buf[len] = '\0';
		cur += len + (nl != NULL);

		/* Comments: whole lines, or trailing after whitespace. */
		for (hash = buf; (hash = strpbrk(hash, "#;")) != NULL; hash++) {
			if (hash == buf || isspace((unsigned char)hash[-1])) {
				*hash = '\0';
				break;
			}
		}
		line = trim(buf);
		if (line[0] == '\0')
			continue;
		if (line[0] == '[') {
			char *close = strchr(line, ']');

			if (close == NULL || close[1] != '\0')
				return fail(&p, "section header needs a closing ']'");
			*close = '\0';
			if (p.ifc != NULL && (ret = check_iface(&p, p.ifc)) != 0)
				return ret;
			if (p.mf != NULL && (ret = check_mf(&p, p.mf)) != 0)
				return ret;
			if ((ret = section(&p, trim(line + 1))) != 0)
				return ret;
			continue;
		}
		eq = strchr(line, '=');
		if (eq == NULL)
			return fail(&p, "expected 'key = value' or '[section]'");
		*eq = '\0';
		char *key = trim(line), *value = trim(eq + 1);

		if (value[0] == '\0')
			return fail(&p, "%s: empty value", key);
		if (p.in_general)
			ret = general_key(&p, key, value);
		else if (p.ifc != NULL)
			ret = iface_key(&p, key, value);
		else if (p.mf != NULL)
			ret = mf_key(&p, key, value);
		else
			ret = fail(&p, "'%s' outside any section", key);
		if (ret != 0)
			return ret;
	}
	if (p.ifc != NULL && (ret = check_iface(&p, p.ifc)) != 0)
		return ret;
	if (p.mf != NULL && (ret = check_mf(&p, p.mf)) != 0)
		return ret;
	if (cfg->n_ifaces == 0)
		return fail(&p, "no [interface NAME] section");
	return 0;
}

int
config_mf_by_name(const struct srtpfwd_config *cfg, const char *name)
{
	for (uint16_t i = 0; i < cfg->n_mfs; i++)
		if (strcmp(cfg->mfs[i].name, name) == 0)
			return i;
	return -ENOENT;
}

int
config_load_file(const char *path, struct srtpfwd_config *cfg, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text;
	long size;
	int ret;

	if (f == NULL) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0 ||
	    size > (1 << 20)) {
		fclose(f);
		snprintf(err, errlen, "%s: cannot read (or larger than 1 MiB)", path);
		return -EINVAL;
	}
	text = malloc((size_t)size + 1);
	if (text == NULL) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	if (fread(text, 1, (size_t)size, f) != (size_t)size) {
		free(text);
		fclose(f);
		snprintf(err, errlen, "%s: read error", path);
		return -EIO;
	}
	fclose(f);
	text[size] = '\0';
	if (strlen(text) != (size_t)size) {
		free(text);
		snprintf(err, errlen, "%s: contains a NUL byte", path);
		return -EINVAL;
	}
	ret = config_parse(text, path, cfg, err, errlen);
	free(text);
	return ret;
}

const char *
config_embedded_default(void)
{
	return embedded_default;
}

int
config_iface_by_name(const struct srtpfwd_config *cfg, const char *name)
{
	for (unsigned int i = 0; i < cfg->n_ifaces; i++)
		if (strcmp(cfg->ifaces[i].name, name) == 0)
			return (int)i;
	return -ENOENT;
}
