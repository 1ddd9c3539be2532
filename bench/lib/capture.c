/* SPDX-License-Identifier: BSD-3-Clause */
#include <stdio.h>

#include "capture.h"

int
capture_open(struct capture *c, const char *path, const char *prog)
{
	c->frames = 0;
	c->pd = pcap_open_dead(DLT_EN10MB, 65535);
	c->dump = c->pd != NULL ? pcap_dump_open(c->pd, path) : NULL;
	if (c->dump == NULL) {
		fprintf(stderr, "%s: %s: %s\n", prog, path,
			c->pd != NULL ? pcap_geterr(c->pd) : "pcap_open_dead");
		if (c->pd != NULL)
			pcap_close(c->pd);
		return -1;
	}
	return 0;
}

void
capture_put(struct capture *c, const uint8_t *frame, size_t len, uint64_t usec)
{
	struct pcap_pkthdr h = { 0 };

	h.ts.tv_sec = (time_t)(usec / 1000000);
	h.ts.tv_usec = (suseconds_t)(usec % 1000000);
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)c->dump, &h, frame);
	c->frames++;
}

int
capture_close(struct capture *c, const char *path, const char *prog)
{
	int ret = pcap_dump_flush(c->dump);

	pcap_dump_close(c->dump);
	pcap_close(c->pd);
	if (ret != 0) {
		fprintf(stderr, "%s: %s: write failed\n", prog, path);
		return -1;
	}
	return 0;
}
