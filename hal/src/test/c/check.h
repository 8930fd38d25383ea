/* SPDX-License-Identifier: Apache-2.0 */
/* The C tests' checks: each counts, a failed one prints where and what and fails the run. */
#ifndef LAYERSTORE_TEST_CHECK_H
#define LAYERSTORE_TEST_CHECK_H

#include <stdio.h>

extern int checks, failures;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		checks++;                                                                        \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                                              \
		}                                                                                \
	} while (0)

#define CHECK_EQ(actual, expected)                                                                   \
	do {                                                                                         \
		long long a_ = (long long)(actual), e_ = (long long)(expected);                      \
		checks++;                                                                            \
		if (a_ != e_) {                                                                      \
			fprintf(stderr, "%s:%d: %s is 0x%llx, expected 0x%llx\n", __FILE__, __LINE__, \
				#actual, a_, e_);                                                    \
			failures++;                                                                  \
		}                                                                                    \
	} while (0)

/* The portal tests (test_qbman.c). */
void test_qbman_layouts(void);
void test_qbman_rings(void);
/* The portal driver on silicon-mapped portals against a fake QMan and BMan (test_portal_hw.c). */
void test_portal_hw(void);
/* The usdpaa backend's open path against a fake kernel (test_usdpaa.c). */
void test_usdpaa_open_path(void);
/* The port on a real interface (test_rx.c). */
void test_rx_on_an_interface(void);

#endif
