/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The baseline the datapath's descriptor building is measured against: a plain C loop that maps a
 * file, touches every page, reads the pages' pagemap entries and coalesces physically contiguous pages
 * into runs. Prints the best of ROUNDS rounds:
 *   runs=<n> fault_ns=<map + touch> pagemap_ns=<pread + coalesce> total_ns=<both>
 * Usage: pagemap-loop FILE ROUNDS
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define ENTRIES_PER_READ 8192
#define PFN_MASK ((UINT64_C(1) << 55) - 1)
#define PRESENT (UINT64_C(1) << 63)

static int64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static volatile unsigned char sink;

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s FILE ROUNDS\n", argv[0]);
		return 2;
	}
	int rounds = atoi(argv[2]);
	long page = sysconf(_SC_PAGESIZE);
	static uint64_t entries[ENTRIES_PER_READ];
	int64_t best_fault = INT64_MAX, best_pagemap = INT64_MAX, best_total = INT64_MAX;
	uint64_t runs = 0;
	int pagemap = open("/proc/self/pagemap", O_RDONLY);
	if (pagemap < 0) {
		perror("open /proc/self/pagemap");
		return 1;
	}
	for (int round = 0; round < rounds; round++) {
		int64_t t0 = now_ns();
		int fd = open(argv[1], O_RDONLY);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_size == 0) {
			perror(argv[1]);
			return 1;
		}
		unsigned char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		unsigned char sum = 0;
		for (off_t at = 0; at < st.st_size; at += page)
			sum += p[at];
		sink = sum;
		int64_t t1 = now_ns();
		uint64_t pages = ((uint64_t)st.st_size + (uint64_t)page - 1) / (uint64_t)page;
		uint64_t first = (uint64_t)(uintptr_t)p / (uint64_t)page;
		uint64_t expected = 0;
		runs = 0;
		for (uint64_t done = 0; done < pages;) {
			uint64_t batch = pages - done < ENTRIES_PER_READ ? pages - done : ENTRIES_PER_READ;
			ssize_t n = pread(pagemap, entries, batch * 8, (off_t)((first + done) * 8));
			if (n != (ssize_t)(batch * 8)) {
				perror("pread pagemap");
				return 1;
			}
			for (uint64_t i = 0; i < batch; i++) {
				uint64_t e = entries[i];
				if (!(e & PRESENT) || (e & PFN_MASK) == 0) {
					fprintf(stderr, "page %llu not present or PFN hidden\n", (unsigned long long)(done + i));
					return 1;
				}
				uint64_t pfn = e & PFN_MASK;
				if (pfn != expected)
					runs++;
				expected = pfn + 1;
			}
			done += batch;
		}
		int64_t t2 = now_ns();
		munmap(p, (size_t)st.st_size);
		close(fd);
		if (t1 - t0 < best_fault)
			best_fault = t1 - t0;
		if (t2 - t1 < best_pagemap)
			best_pagemap = t2 - t1;
		if (t2 - t0 < best_total)
			best_total = t2 - t0;
	}
	printf("runs=%llu fault_ns=%lld pagemap_ns=%lld total_ns=%lld\n", (unsigned long long)runs, (long long)best_fault,
	       (long long)best_pagemap, (long long)best_total);
	return 0;
}
