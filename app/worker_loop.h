/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_WORKER_LOOP_H
#define SRTPFWD_WORKER_LOOP_H

/* lcore entry of a worker: poll its RX queues until the app quits. arg: struct worker_ctx. */
int worker_loop(void *arg);

#endif /* SRTPFWD_WORKER_LOOP_H */
