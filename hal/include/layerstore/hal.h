/*
 * Layerstore HAL: the native library behind the Java HAL.
 *
 * Every function returns 0 (or a non-negative count) on success and a negative errno on failure,
 * so the Java side has one place that turns failures into exceptions.
 */
#ifndef LAYERSTORE_HAL_H
#define LAYERSTORE_HAL_H

#include <stdint.h>

/* Bumped whenever a struct layout or a function signature in these headers changes; the Java side
 * refuses a library whose ABI version differs from the one its bindings were generated for. */
#define LSH_ABI_VERSION 1

#if defined(__GNUC__)
#define LSH_API __attribute__((visibility("default")))
#else
#define LSH_API
#endif

/* The ABI version the library was compiled with (LSH_ABI_VERSION). */
LSH_API int32_t lsh_abi_version(void);

#endif
