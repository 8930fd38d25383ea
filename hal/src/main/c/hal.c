/* SPDX-License-Identifier: Apache-2.0 */
#include "layerstore/hal.h"

int32_t lsh_abi_version(void)
{
	return LSH_ABI_VERSION;
}
