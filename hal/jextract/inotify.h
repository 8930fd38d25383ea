/* SPDX-License-Identifier: Apache-2.0 */
/*
 * inotify(7), for the open-file cache: jextract generates org.layerstore.hal.bindings.inotify from this
 * file, filtered by inotify.includes. A package of its own because <sys/inotify.h> in libc.h makes
 * libclang lose MAP_FAILED there. The same declarations on linux-x86_64 and linux-aarch64 (glibc, LP64).
 */
#ifndef LAYERSTORE_JEXTRACT_INOTIFY_H
#define LAYERSTORE_JEXTRACT_INOTIFY_H

/* uint32_t by itself: libclang does not reach glibc's stdint.h through its builtin one (generate-bindings.sh). */
#include <bits/stdint-uintn.h>
#include <sys/inotify.h>

#endif
