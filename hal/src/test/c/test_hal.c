/* C-side tests of the HAL library, run by `make check` in the Maven test phase. */
#include <stdio.h>
#include <stdlib.h>

#include "layerstore/hal.h"

static int failures;

#define CHECK(cond)                                                                     \
	do {                                                                            \
		if (!(cond)) {                                                          \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                                     \
		}                                                                       \
	} while (0)

int main(void)
{
	int checks = 0;

	CHECK(lsh_abi_version() == LSH_ABI_VERSION);
	checks++;

	printf("native: %d passed, %d failed\n", checks - failures, failures);
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
