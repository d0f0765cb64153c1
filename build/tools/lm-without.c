/*
 * lm-without MODEL.lm.bin WORDS.txt OUT.arpa
 *
 * Writes pocketsphinx's binary (trie) language model as ARPA text without the words listed in WORDS.txt (one per
 * line): their unigrams and every n-gram that contains them are left out, as if the model had never seen them.
 * build/bench.sh's vocabulary figure uses it to make rare words out of words of real recordings.
 *
 * Debian's sphinx_lm_convert cannot write this model as ARPA (sphinxbase 0.8+5prealpha stops on an assertion in
 * ngram_model_trie_write_arpa: its trie walk yields another count of n-grams than the header's). This program does
 * that walk with the library's own lm_trie_fill_raw_ngram and writes what it yields: the n-grams the decoder uses.
 * The structures below are the library's (sphinxbase 0.8+5prealpha, ngram_model_internal.h, ngram_model_trie.h,
 * lm_trie.h, ngrams_raw.h), copied as far as this program reads them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { float prob; float bo; uint32_t next; } unigram_t;
typedef struct { uint32_t begin; uint32_t end; } node_range_t;
typedef struct { uint32_t *words; float prob; float backoff; uint32_t order; } ngram_raw_t;

typedef struct {
    int refcount;
    uint32_t *n_counts;
    int32_t n_1g_alloc;
    int32_t n_words;
    uint8_t n, n_classes, writable, flags;
    void *lmath;
    float lw;
    int32_t log_wip;
    int32_t log_zero;
    char **word_str;
    void *wid, *tmp_wids, *classes, *funcs;
} ngram_model_t;

typedef struct { uint8_t *ngram_mem; size_t ngram_mem_size; unigram_t *unigrams; } lm_trie_head_t;
typedef struct { ngram_model_t base; lm_trie_head_t *trie; } ngram_model_trie_t;

extern void *logmath_init(double base, int shift, int use_table);
extern ngram_model_t *ngram_model_read(void *config, const char *file, int file_type, void *lmath);
extern double logmath_log_float_to_log10(void *lmath, float log_p);
extern void lm_trie_fill_raw_ngram(void *trie, ngram_raw_t *raw, uint32_t *raw_idx, uint32_t *counts, node_range_t range,
                                   uint32_t *hist, int n_hist, int order, int max_order);
extern void err_set_logfp(FILE *stream);

static int cmp_words(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: lm-without MODEL.lm.bin WORDS.txt OUT.arpa\n");
        return 64;
    }
    err_set_logfp(NULL);
    FILE *list = fopen(argv[2], "r");
    if (!list) { perror(argv[2]); return 66; }
    char **out = NULL, line[512];
    size_t n_out = 0;
    while (fgets(line, sizeof line, list)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!*line) continue;
        out = realloc(out, (n_out + 1) * sizeof *out);
        out[n_out++] = strdup(line);
    }
    fclose(list);
    qsort(out, n_out, sizeof *out, cmp_words);

    void *lmath = logmath_init(1.0001, 0, 0);
    ngram_model_t *model = ngram_model_read(NULL, argv[1], 2 /* NGRAM_BIN */, lmath);
    if (!model) { fprintf(stderr, "cannot read %s\n", argv[1]); return 65; }
    ngram_model_trie_t *trie_model = (ngram_model_trie_t *)model;
    uint32_t n_uni = model->n_counts[0];
    char *gone = calloc(n_uni, 1);
    for (uint32_t w = 0; w < n_uni; w++)
        gone[w] = bsearch(&model->word_str[w], out, n_out, sizeof *out, cmp_words) != NULL;

    FILE *body = tmpfile();
    uint32_t kept[8] = {0};
    fprintf(body, "\n\\1-grams:\n");
    for (uint32_t w = 0; w < n_uni; w++) {
        if (gone[w]) continue;
        unigram_t *u = &trie_model->trie->unigrams[w];
        fprintf(body, "%.4f\t%s", logmath_log_float_to_log10(model->lmath, u->prob), model->word_str[w]);
        if (model->n > 1) fprintf(body, "\t%.4f", logmath_log_float_to_log10(model->lmath, u->bo));
        fprintf(body, "\n");
        kept[0]++;
    }
    for (int order = 2; order <= model->n; order++) {
        /* Room for more than the header counts: the walk is what this program trusts. */
        size_t room = (size_t)model->n_counts[order - 1] * 2 + 16;
        ngram_raw_t *raw = calloc(room, sizeof *raw);
        uint32_t filled = 0, hist[8];
        node_range_t range = {0, 0};
        lm_trie_fill_raw_ngram(trie_model->trie, raw, &filled, model->n_counts, range, hist, 0, order, model->n);
        if (filled > room) { fprintf(stderr, "the trie walk overran\n"); return 70; }
        fprintf(body, "\n\\%d-grams:\n", order);
        for (uint32_t i = 0; i < filled; i++) {
            int skip = 0;
            for (int k = 0; k < order; k++) skip |= gone[raw[i].words[k]];
            if (!skip) {
                fprintf(body, "%.4f", logmath_log_float_to_log10(model->lmath, raw[i].prob));
                for (int k = 0; k < order; k++) fprintf(body, "\t%s", model->word_str[raw[i].words[k]]);
                if (order < model->n) fprintf(body, "\t%.4f", logmath_log_float_to_log10(model->lmath, raw[i].backoff));
                fprintf(body, "\n");
                kept[order - 1]++;
            }
            free(raw[i].words);
        }
        fprintf(stderr, "%d-grams: %u in the header, %u in the trie, %u kept\n", order, model->n_counts[order - 1], filled, kept[order - 1]);
        free(raw);
    }
    fprintf(body, "\n\\end\\\n");

    FILE *arpa = fopen(argv[3], "w");
    if (!arpa) { perror(argv[3]); return 73; }
    fprintf(arpa, "\\data\\\n");
    for (int order = 1; order <= model->n; order++) fprintf(arpa, "ngram %d=%u\n", order, kept[order - 1]);
    rewind(body);
    char buffer[1 << 16];
    size_t got;
    while ((got = fread(buffer, 1, sizeof buffer, body)) > 0) fwrite(buffer, 1, got, arpa);
    return fclose(arpa) == 0 ? 0 : 74;
}
