/* gen-data.c — seeded generator of realistic survey data for the benchmarks.
 *
 * Writes a codebook (CODEBOOK) and a response file (RESPONSES) for N
 * responses × 40 items on 4 scales of 10 items (1–5 Likert; every scale has
 * 3 reverse-keyed items), in 5,000 teams and 50 organisations, two waves:
 * N/2 participants each answer a "pre" and a "post" survey (the "post"
 * answers are shifted by a scale-specific programme effect).
 *
 * Answers come from a one-factor model per scale: a person level
 * (team effect + individual effect + programme effect at post) plus item
 * noise, cut at thresholds into 1..5 and mirrored for reverse-keyed items;
 * about 3 % of answers are missing (empty field), and 0.5 % of responses
 * skip a whole scale. Columns: id, org, team, wave, role, then i01..i40.
 *
 * Plain C, no libimpact: a fixed xoshiro256** stream seeded with SEED makes
 * the same bytes on every machine.
 *
 * Usage: gen-data N SEED CODEBOOK RESPONSES [TEAMS [ORGS [items-only]]]
 * ("items-only": the same answers without the id, org, team, wave and role
 * columns, to time the parsing of numbers alone)
 *
 * Copyright (C) 2026 the libimpact authors. GPL-2.0-or-later.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_SCALES 4
#define K_ITEMS 10
#define N_ITEMS (N_SCALES * K_ITEMS)

static uint64_t s[4];

static uint64_t
rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t
next(void)
{
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

static void
seed(uint64_t x)
{
    for (int i = 0; i < 4; i++) { /* splitmix64 */
        x += 0x9e3779b97f4a7c15ULL;
        uint64_t z = x;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        s[i] = z ^ (z >> 31);
    }
}

static double
unif(void)
{
    return (double) (next() >> 11) * 0x1.0p-53;
}

static double
norm(void)
{
    /* Box–Muller, one value per call (simple and deterministic) */
    double u1 = unif(), u2 = unif();
    if (u1 < 1e-300) {
        u1 = 1e-300;
    }
    return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static const char *scale_name[N_SCALES] = {"self_efficacy", "leadership", "team_climate",
                                           "org_commitment"};
static const char *scale_domain[N_SCALES] = {"individual", "individual", "team", "organisation"};
/* programme effect at post, in latent SD units */
static const double effect[N_SCALES] = {0.35, 0.25, 0.15, 0.05};
/* share of latent variance between teams */
static const double team_sd[N_SCALES] = {0.25, 0.30, 0.55, 0.40};

int
main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s N SEED CODEBOOK RESPONSES [TEAMS [ORGS]]\n", argv[0]);
        return 2;
    }
    long long n = atoll(argv[1]);
    uint64_t sd = strtoull(argv[2], NULL, 10);
    long teams = argc > 5 ? atol(argv[5]) : 5000;
    long orgs = argc > 6 ? atol(argv[6]) : 50;
    int items_only = argc > 7 && strcmp(argv[7], "items-only") == 0;
    if (n < 2 || teams < 1 || orgs < 1 || orgs > teams) {
        fprintf(stderr, "gen-data: bad sizes\n");
        return 2;
    }
    seed(sd);

    FILE *cb = fopen(argv[3], "w");
    if (cb == NULL) {
        perror(argv[3]);
        return 1;
    }
    fprintf(cb, "item,scale,domain,min,max,reverse,weight,label\n");
    int reverse[N_ITEMS];
    for (int i = 0; i < N_ITEMS; i++) {
        int sc = i / K_ITEMS, j = i % K_ITEMS;
        reverse[i] = j == 2 || j == 5 || j == 8;
        fprintf(cb, "i%02d,%s,%s,1,5,%d,1,\"%s item %d%s\"\n", i + 1, scale_name[sc],
                scale_domain[sc], reverse[i], scale_name[sc], j + 1,
                reverse[i] ? ", reversed" : "");
    }
    if (fclose(cb) != 0) {
        perror(argv[3]);
        return 1;
    }

    /* team effects per scale; item loadings and thresholds */
    double *teff = malloc(sizeof(double) * (size_t) teams * N_SCALES);
    for (long t = 0; t < teams * N_SCALES; t++) {
        teff[t] = norm();
    }
    double load[N_ITEMS], shift[N_ITEMS];
    for (int i = 0; i < N_ITEMS; i++) {
        load[i] = 0.6 + 0.3 * unif();
        shift[i] = 0.4 * (unif() - 0.5);
    }
    static const double cut[4] = {-1.6, -0.7, 0.2, 1.1};

    FILE *out = strcmp(argv[4], "-") == 0 ? stdout : fopen(argv[4], "w");
    if (out == NULL) {
        perror(argv[4]);
        return 1;
    }
    static char obuf[1 << 20];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    if (!items_only) {
        fprintf(out, "id,org,team,wave,role,");
    }
    for (int i = 0; i < N_ITEMS; i++) {
        fprintf(out, i ? ",i%02d" : "i%02d", i + 1);
    }
    fputc('\n', out);

    long long people = (n + 1) / 2;
    static const char *roles[3] = {"leader", "member", "member"};
    long long written = 0;
    for (long long p = 0; p < people && written < n; p++) {
        long team = (long) (next() % (uint64_t) teams);
        long org = team % orgs;
        const char *role = roles[next() % 3];
        double person[N_SCALES];
        for (int sc = 0; sc < N_SCALES; sc++) {
            person[sc] = team_sd[sc] * teff[team * N_SCALES + sc] +
                         sqrt(1.0 - team_sd[sc] * team_sd[sc]) * norm();
        }
        for (int w = 0; w < 2 && written < n; w++, written++) {
            char line[512];
            int len = items_only ? 0
                                 : snprintf(line, sizeof line, "P%07lld,O%02ld,T%04ld,%s,%s,", p + 1,
                                            org + 1, team + 1, w ? "post" : "pre", role);
            int skip = (next() % 200) == 0 ? (int) (next() % N_SCALES) : -1;
            for (int i = 0; i < N_ITEMS; i++) {
                int sc = i / K_ITEMS;
                if (i > 0) {
                    line[len++] = ',';
                }
                if (sc == skip || next() % 100 < 3) {
                    continue;
                }
                double z = load[i] * (person[sc] + (w ? effect[sc] : 0.0)) + shift[i] +
                           sqrt(1.0 - load[i] * load[i]) * norm();
                int v = 1;
                while (v < 5 && z > cut[v - 1]) {
                    v++;
                }
                if (reverse[i]) {
                    v = 6 - v;
                }
                line[len++] = (char) ('0' + v);
            }
            line[len++] = '\n';
            fwrite(line, 1, (size_t) len, out);
        }
    }
    free(teff);
    if (fclose(out) != 0) {
        perror(argv[4]);
        return 1;
    }
    return 0;
}
