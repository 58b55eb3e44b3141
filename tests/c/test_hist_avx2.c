/*
 * test_hist_avx2.c - test_hist_baseline.c with the histogram kernels compiled
 * here without their AVX-512 variant: on an AVX-512 machine the library runs
 * that one, and this checks the AVX2 kernels against it bit for bit (on
 * other machines both sides may take the same path).
 */
#define PC_HIST_TEST_AVX2 1
#include "test_hist_baseline.c"
