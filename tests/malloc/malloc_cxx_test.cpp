// A C++ program whose malloc is the pool heap: operator new and delete in
// libstdc++ call malloc and free, so containers, strings and exceptions
// land in the pools with no C++ code in the library.
#include <cstdint>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "global_heap.h"

static int failures;

#define EXPECT(condition)                                                             \
    do {                                                                              \
        if (!(condition)) {                                                           \
            std::printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            failures++;                                                               \
        }                                                                             \
    } while (0)

static void vector_grows_in_the_heap() {
    unsigned long before = heap_in_use();
    std::vector<int> values;
    for (int i = 0; i < 3000; i++) {
        values.push_back(i * i);
    }
    EXPECT(values[2999] == 2999 * 2999);
    EXPECT(heap_block(values.data()));
    EXPECT(heap_in_use() == before + 1); // each doubling moved it, freeing the block before
}

static void strings_live_in_the_heap() {
    std::string text(100, 'x');
    text += " and a tail long enough to leave the small-string buffer";
    EXPECT(heap_block(text.data()));
    EXPECT(text.size() == 156 && text.back() == 'r');
}

static void map_nodes_live_in_the_heap() {
    unsigned long before = heap_in_use();
    std::map<int, std::string> names;
    for (int i = 0; i < 300; i++) {
        names[i] = "name number " + std::to_string(i) + " with some padding to be long";
    }
    EXPECT(names.size() == 300 && names[123] == "name number 123 with some padding to be long");
    int owned = 0;
    for (const auto &entry : names) {
        owned += heap_block(&entry) != 0 || poolheap_owns(poolheap_global, &entry);
        owned += heap_block(entry.second.data());
    }
    EXPECT(owned == 600);
    EXPECT(heap_in_use() - before >= 600); // a node and a string each
}

struct alignas(64) Line {
    unsigned char bytes[64];
};

static void aligned_new_uses_an_aligned_block() {
    Line *line = new Line();
    EXPECT(reinterpret_cast<std::uintptr_t>(line) % 64 == 0);
    EXPECT(poolheap_owns(poolheap_global, line));
    delete line;
}

static void exceptions_are_allocated_in_the_heap() {
    try {
        throw std::runtime_error(std::string(80, 'e'));
    } catch (const std::runtime_error &error) {
        EXPECT(poolheap_owns(poolheap_global, &error));
        EXPECT(std::string(error.what()).size() == 80);
    }
}

int main() {
    vector_grows_in_the_heap();
    strings_live_in_the_heap();
    map_nodes_live_in_the_heap();
    aligned_new_uses_an_aligned_block();
    exceptions_are_allocated_in_the_heap();
    // libstdc++'s emergency exception pool, allocated before main, took the
    // largest block, and no request was refused.
    poolheap_pool_stats_t largest;
    poolheap_pool_stats(poolheap_global, poolheap_global->pool_count - 1u, &largest);
    EXPECT(largest.peak == 1 && largest.in_use == 1);
    EXPECT(heap_failures() == 0);
    EXPECT(runtime_size_in_c() == sizeof(poolheap_runtime_t)); // one layout in both languages
    EXPECT(libc_allocator_untouched());
    EXPECT(poolheap_deep_check(poolheap_global) == 0);
    std::printf("malloc_cxx_test: %s\n", failures == 0 ? "passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
