/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The C library interface the HAL and the datapath call through FFM: jextract generates
 * org.layerstore.hal.bindings.libc from this file, filtered by libc.includes.
 * Only headers whose declarations are the same on linux-x86_64 and linux-aarch64 (glibc, LP64) are
 * included, so the one generated package serves both platforms.
 */
#ifndef LAYERSTORE_JEXTRACT_LIBC_H
#define LAYERSTORE_JEXTRACT_LIBC_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <linux/errqueue.h>
#include <linux/openat2.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#endif
