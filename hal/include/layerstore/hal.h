/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Layerstore HAL: the native library behind the Java HAL.
 *
 * dpaa.h defines the DPAA1 formats, qbman.h the QMan/BMan portal rings, fm.h the frame-manager API,
 * usdpaa.h the probe of the usdpaa backend. Every function returns 0 (or a non-negative count) on
 * success and a negative errno on failure, so the Java side has one place that turns failures into
 * exceptions.
 */
#ifndef LAYERSTORE_HAL_H
#define LAYERSTORE_HAL_H

#include <stdint.h>

#include "layerstore/dpaa.h"
#include "layerstore/fm.h"
#include "layerstore/qbman.h"
#include "layerstore/usdpaa.h"
#include "layerstore/usdpaa_fm.h"

/* Bumped whenever a struct layout or a function signature in these headers changes or a function is
 * added; the Java side refuses a library whose ABI version differs from the one its bindings were
 * generated for (HalLibrary.EXPECTED_ABI_VERSION). */
#define LSH_ABI_VERSION 8

/* The ABI version the library was compiled with (LSH_ABI_VERSION). */
LSH_API int32_t lsh_abi_version(void);

#endif
