/*
 * test_stats_avx2.c - test_stats_baseline.c with the statistics kernels
 * compiled here without their AVX-512 clone: on an AVX-512 machine the
 * library runs that one, and this checks the AVX2 clones against it bit for
 * bit (on other machines both sides may take the same path).
 */
#define PC_STATS_TEST_AVX2 1
#include "test_stats_baseline.c"
