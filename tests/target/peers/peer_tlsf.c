/* TLSF (../shared/third_party/tlsf) as a peer, with its own realloc. */
#include "peer.h"
#include "tlsf.h"

static _Alignas(8) unsigned char arena[PEER_ARENA];
static tlsf_t instance;

int peer_init(void) {
    instance = tlsf_create_with_pool(arena, sizeof arena);
    return instance == NULL;
}

void *peer_alloc(size_t size) {
    return tlsf_malloc(instance, size);
}

void peer_free(void *pointer) {
    tlsf_free(instance, pointer);
}

void *peer_realloc(void *pointer, size_t size) {
    return tlsf_realloc(instance, pointer, size);
}
