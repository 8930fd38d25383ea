/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The native baseline of PagemapTranslationBenchmark: map FILE, fault in its first RANGE_KIB KiB,
 * then repeat one operation on that range for SECONDS. Prints "ns_per_op=<float> ops=<n>".
 *   MODE translate: one pread of the range's pagemap entries, then PFN x page size per page
 *                   (0 when not present): the baseline of javaPagemapPread.
 *   MODE runs:      the same pread, every page checked present with a non-zero PFN, and the pages
 *                   coalesced into an array of maximal physically contiguous runs (address, length):
 *                   the baseline of datapathDescriptorBuilding.
 * Build: gcc -O2 -std=c11 -Wall -Wextra -Werror pagemap_loop.c -o pagemap_loop
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PRESENT (1ULL << 63)
#define PFN_MASK ((1ULL << 55) - 1)

struct run {
    uint64_t address;
    uint64_t length;
};

/* Coalesces the pages' entries into runs; returns how many, or 0 when a page has no usable PFN. */
static size_t coalesce(const uint64_t *entries, size_t pages, uint64_t page, struct run *runs) {
    size_t count = 0;
    uint64_t expected = 0;
    for (size_t i = 0; i < pages; i++) {
        if (!(entries[i] & PRESENT) || (entries[i] & PFN_MASK) == 0) {
            return 0;
        }
        uint64_t address = (entries[i] & PFN_MASK) * page;
        if (count > 0 && address == expected) {
            runs[count - 1].length += page;
        } else {
            runs[count].address = address;
            runs[count].length = page;
            count++;
        }
        expected = address + page;
    }
    return count;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
    if (argc != 5 || (strcmp(argv[4], "translate") != 0 && strcmp(argv[4], "runs") != 0)) {
        fprintf(stderr, "usage: %s FILE RANGE_KIB SECONDS translate|runs\n", argv[0]);
        return 2;
    }
    int runs_mode = strcmp(argv[4], "runs") == 0;
    size_t length = (size_t)strtoul(argv[2], NULL, 10) * 1024;
    double seconds = strtod(argv[3], NULL);
    long page = sysconf(_SC_PAGESIZE);
    int fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    const volatile uint8_t *mem = mmap(NULL, length, PROT_READ, MAP_SHARED, fd, 0);
    if (mem == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    unsigned sum = 0;
    for (size_t off = 0; off < length; off += (size_t)page) {
        sum += mem[off];
    }
    int pagemap = open("/proc/self/pagemap", O_RDONLY);
    if (pagemap < 0) {
        perror("/proc/self/pagemap");
        return 1;
    }
    size_t pages = (length + (size_t)page - 1) / (size_t)page;
    uint64_t *entries = calloc(pages, sizeof *entries);
    uint64_t *physical = calloc(pages, sizeof *physical);
    struct run *runs = calloc(pages, sizeof *runs);
    if (entries == NULL || physical == NULL || runs == NULL) {
        perror("calloc");
        return 1;
    }
    off_t position = (off_t)((uintptr_t)mem / (uintptr_t)page * sizeof(uint64_t));
    uint64_t checksum = 0;
    long ops = 0;
    double start = now_ns();
    double end = start + seconds * 1e9;
    double t;
    do {
        for (int batch = 0; batch < 64; batch++) {
            ssize_t n = pread(pagemap, entries, pages * sizeof *entries, position);
            if (n != (ssize_t)(pages * sizeof *entries)) {
                perror("pread /proc/self/pagemap");
                return 1;
            }
            if (runs_mode) {
                size_t count = coalesce(entries, pages, (uint64_t)page, runs);
                if (count == 0) {
                    fprintf(stderr, "a page is not present or its PFN is hidden (runs mode needs CAP_SYS_ADMIN)\n");
                    return 1;
                }
                checksum += runs[count - 1].address ^ count;
            } else {
                for (size_t i = 0; i < pages; i++) {
                    physical[i] = (entries[i] & PRESENT) ? (entries[i] & PFN_MASK) * (uint64_t)page : 0;
                }
                checksum += physical[pages - 1];
            }
            ops++;
        }
        t = now_ns();
    } while (t < end);
    printf("ns_per_op=%.1f ops=%ld checksum=%llu touched=%u\n", (t - start) / (double)ops, ops,
           (unsigned long long)checksum, sum);
    return 0;
}
