/* Built into two archives (tests/tools/CMakeLists.txt): the global symbol
 * defined twice that tests/tools/check-symbols must find. */
int ph_symbol_twin(void);

int ph_symbol_twin(void) {
    return 1;
}
