/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_BENCH_CAPTURE_H
#define SRTPFWD_BENCH_CAPTURE_H

/* A pcap file (Ethernet) written frame by frame, for the capture generators. */
#include <stddef.h>
#include <stdint.h>

#include <pcap/pcap.h>

struct capture {
	pcap_t *pd;
	pcap_dumper_t *dump;
	uint64_t frames;
};

/* 0, or -1 after printing why (prog: the program's name). */
int capture_open(struct capture *c, const char *path, const char *prog);
/* One frame, stamped usec microseconds after the epoch. */
void capture_put(struct capture *c, const uint8_t *frame, size_t len, uint64_t usec);
/* Flush and close; 0, or -1 after printing why. */
int capture_close(struct capture *c, const char *path, const char *prog);

#endif /* SRTPFWD_BENCH_CAPTURE_H */
