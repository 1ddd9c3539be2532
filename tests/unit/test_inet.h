/* SPDX-License-Identifier: BSD-3-Clause */
#ifndef SRTPFWD_TEST_INET_H
#define SRTPFWD_TEST_INET_H

/* Addresses in the unit tests, written as text (include after cmocka.h). */

#include "net/inet_addr.h"

/* The address s ("198.18.0.1", "2001:2::1"); the test fails if it does not parse. */
static inline struct inet_addr
test_addr(const char *s)
{
	struct inet_addr a;

	assert_int_equal(inet_addr_parse(s, &a), 0);
	return a;
}

#endif /* SRTPFWD_TEST_INET_H */
