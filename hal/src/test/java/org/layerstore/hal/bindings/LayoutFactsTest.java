// SPDX-License-Identifier: Apache-2.0
package org.layerstore.hal.bindings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.layerstore.hal.HalLibrary;
import org.layerstore.hal.bindings.hal.hal_h;
import org.layerstore.hal.bindings.hal.lsh_layout_fact;
import org.layerstore.hal.bindings.hal.lsh_qm_dqrr_entry;
import org.layerstore.hal.bindings.hal.lsh_qm_eqcr_entry;
import org.layerstore.hal.bindings.hal.lsh_qm_mr_entry;

/** Every sizeof and offsetof the C compiler computed equals what the generated bindings say. */
class LayoutFactsTest {

    @BeforeAll
    static void load() {
        HalLibrary.ensureAvailable();
    }

    @Test
    void everyStructSizeAndFieldOffsetMatchesTheGeneratedLayouts() throws ReflectiveOperationException {
        List<String> checked = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int n = hal_h.lsh_layout_facts(out);
            MemorySegment facts = out.get(ValueLayout.ADDRESS, 0).reinterpret(n * lsh_layout_fact.layout().byteSize());
            for (int i = 0; i < n; i++) {
                MemorySegment fact = lsh_layout_fact.asSlice(facts, i);
                String name = lsh_layout_fact.name(fact).reinterpret(128).getString(0);
                long c = lsh_layout_fact.value(fact);
                String struct = name.substring(0, name.indexOf('.'));
                String member = name.substring(name.indexOf('.') + 1);
                Class<?> binding = Class.forName("org.layerstore.hal.bindings.hal." + struct);
                long java = member.equals("size")
                        ? ((GroupLayout) binding.getMethod("layout").invoke(null)).byteSize()
                        : (long) binding.getMethod(javaName(member) + "$offset").invoke(null);
                assertEquals(c, java, name + ": C says " + c + ", the bindings say " + java);
                checked.add(name);
            }
        }
        assertTrue(checked.size() > 60, "only " + checked.size() + " facts: " + checked);
        assertTrue(checked.containsAll(List.of("lsh_qm_fd.size", "lsh_qm_fd.cmd", "lsh_qm_sg_entry.offset",
                "lsh_bm_buffer.addr_lo", "lsh_qm_dqrr_entry.fd", "lsh_qm_mr_entry.rc", "lsh_qm_eqcr_entry.tag")),
                checked.toString());
    }

    @Test
    void theRingEntriesAreLaidOutAsLinuxDefinesThem() {
        // include/soc/fsl/qman.h struct qm_dqrr_entry, union qm_mr_entry (ern); qman.c struct qm_eqcr_entry
        assertEquals(64, lsh_qm_dqrr_entry.layout().byteSize());
        assertEquals(1, lsh_qm_dqrr_entry.stat$offset());
        assertEquals(8, lsh_qm_dqrr_entry.fqid$offset());
        assertEquals(12, lsh_qm_dqrr_entry.context_b$offset());
        assertEquals(16, lsh_qm_dqrr_entry.fd$offset());
        assertEquals(64, lsh_qm_mr_entry.layout().byteSize());
        assertEquals(4, lsh_qm_mr_entry.rc$offset());
        assertEquals(8, lsh_qm_mr_entry.fqid$offset());
        assertEquals(12, lsh_qm_mr_entry.tag$offset());
        assertEquals(16, lsh_qm_mr_entry.fd$offset());
        assertEquals(64, lsh_qm_eqcr_entry.layout().byteSize());
        assertEquals(4, lsh_qm_eqcr_entry.orp$offset());
        assertEquals(8, lsh_qm_eqcr_entry.fqid$offset());
        assertEquals(12, lsh_qm_eqcr_entry.tag$offset());
        assertEquals(16, lsh_qm_eqcr_entry.fd$offset());
        assertEquals(0x80, hal_h.LSH_QB_VERB_VBIT());
        assertEquals(0x60, hal_h.LSH_QM_DQRR_VERB_FRAME_DEQUEUE());
        assertEquals(0x50, hal_h.LSH_MR_RC_FQ_TAILDROP());
        assertEquals(List.of(8, 16, 8), List.of(hal_h.LSH_QM_EQCR_SIZE(), hal_h.LSH_QM_DQRR_SIZE(), hal_h.LSH_QM_MR_SIZE()));
    }

    /** jextract appends an underscore to C names that are Java keywords ({@code final} -> {@code final_}). */
    private static String javaName(String c) {
        return javax.lang.model.SourceVersion.isKeyword(c) ? c + "_" : c;
    }
}
