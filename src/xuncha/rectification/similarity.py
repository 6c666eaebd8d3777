"""Chinese text similarity for catching 纸上整改: measures copied between units, measures that only restate
the problem, problems that come back after closing.

Pure Python + numpy + jieba; nothing here imports Django, so the benchmark and the tests run without a database.

Pipeline for near duplicates:
  text → numbers folded to "0", quotes and brackets removed → clauses (split at any punctuation) → per
  distinct clause, cached: NFKC, lower case, jieba, stop words and boilerplate words dropped → word bigrams
  within each clause (so reordering clauses or changing punctuation does not change the set) → MinHash
  (numpy) → LSH banding → exact Jaccard.

Numbers are dropped: a copy with "每季度不少于2次" changed to "3次" is still a copy.

The word lists below decide what counts as content. BOILERPLATE_WORDS are the words nearly every measure
contains (进一步加强、严格落实、建立健全…制度): they say nothing about what will be done, so two measures
sharing only them are not copies, and a measure made only of them restates nothing new. The list is kept
short on purpose: each dropped word is a word two unrelated measures can no longer be told apart by, so
verbs with content (检查、公开、清退、审核) and the nouns of the matter stay.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import threading
import time
import unicodedata
import zlib
from collections.abc import Hashable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, TypeVar

import numpy as np

K = TypeVar("K")

# Function words and the words a problem description wraps its matter in (存在…情况, 仍然…).
STOP_WORDS: frozenset[str] = frozenset(
    "的 地 得 了 着 过 和 与 及 以及 并 并且 或 或者 对 对于 在 将 等 为 把 被 由 从 向 于 以 按 按照 根据 针对 "
    "通过 进行 其 各 该 此 这 那 是 有 一些 要 已 已经 中 上 下 内 后 前 时 之 所 也 都 就 仍 仍然 依然 还 又 再次 "
    "存在 方面 情况 方式 予以 加以 给予 做到 做好 抓好 抓紧 坚持 及时 有关 相关 一定 逐步".split()
)

# Words every measure carries (see the module docstring before adding to it).
BOILERPLATE_WORDS: frozenset[str] = frozenset(
    "进一步 加强 严格 切实 认真 扎实 深入 全面 持续 不断 着力 坚决 有效 确保 落实 贯彻落实 建立 健全 建立健全 "
    "完善 制度 管理制度 规章制度 机制 长效机制 工作 问题 整改 整改措施 措施 要求 强化 推进 开展 到位 彻底 "
    "建设 立即 立行立改 举一反三".split()
)

_DROP = STOP_WORDS | BOILERPLATE_WORDS

# Terms of the trade jieba would cut in pieces (三会一课 → 三/会/一/课), which would make them stop-word fodder.
DOMAIN_WORDS: tuple[str, ...] = (
    "三会一课", "第一议题", "三重一大", "一岗双责", "全面从严治党", "从严治党", "党风廉政建设", "主体责任",
    "监督责任", "八项规定", "中央八项规定", "民主生活会", "组织生活会", "津补贴", "一事一单一函", "软弱涣散",
    "以案促改", "以案说纪", "警示教育", "村务公开", "党务公开", "政务公开", "公务接待", "公务用车", "办公用房",
    "问题线索", "巡察整改", "自查自纠", "谈话提醒", "诫勉谈话", "书面检查", "会议记录", "议事规则", "招投标",
)

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Quotes and brackets wrap words inside a clause (“三重一大”): removed, not treated as a clause break.
_QUOTES = re.compile(r"[\"'“”‘’《》〈〉「」『』【】〔〕()\[\]{}<>＂＇（）［］｛｝＜＞]")
_CLAUSE_SPLIT = re.compile(r"[\W_]+")
_WORD = re.compile(r"\w+")

_tokenizer: Any = None
_tokenizer_lock = threading.Lock()


def _jieba() -> Any:
    """A private jieba tokenizer, loaded on first use (≈1 s), with jieba's log silenced.

    Private so that words other code adds to jieba's global dictionary cannot change our segmentation.
    """
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                tokenizer.initialize()
                for word in DOMAIN_WORDS:
                    tokenizer.add_word(word, freq=100_000)
                _tokenizer = tokenizer
    return _tokenizer


@functools.lru_cache(maxsize=1 << 17)
def _segment(clause: str) -> tuple[str, ...]:
    # Measures repeat their phrases a great deal; caching per clause saves most of jieba's time.
    # NFKC here, per distinct clause: on whole texts it costs as much as the rest together (CJK is slow to
    # normalise), and pure Han clauses pass the quick is_normalized check.
    if not unicodedata.is_normalized("NFKC", clause):
        clause = _QUOTES.sub("", unicodedata.normalize("NFKC", clause))
    # HMM off: unknown runs stay single characters, so a small edit changes only the tokens it touches.
    return tuple(t for t in _jieba().lcut(clause.lower(), HMM=False)
                 if t not in _DROP and not t.isdigit() and _WORD.fullmatch(t))


def _clause_strings(text: str) -> list[str]:
    """The text cut into clauses at punctuation (fullwidth or not), numbers folded to "0" first so that the
    clause caches are shared by texts that differ only in their numbers."""
    return [c for c in _CLAUSE_SPLIT.split(_QUOTES.sub("", _NUMBER.sub("0", text or ""))) if c]


def _clauses(text: str) -> list[tuple[str, ...]]:
    """The content tokens of each clause of the text (clauses without content left out)."""
    return [seg for clause in _clause_strings(text) if (seg := _segment(clause))]


@functools.lru_cache(maxsize=1 << 17)
def _ngrams(words: tuple[str, ...], n: int) -> tuple[str, ...]:
    """Word n-grams of one clause (its words when it is shorter than n)."""
    if len(words) < n:
        return words
    return tuple(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))


def tokens(text: str) -> list[str]:
    """Content words of `text`: normalised, segmented, without stop words, boilerplate, punctuation and numbers."""
    return [t for clause in _clauses(text) for t in clause]


def shingles(tokens: Sequence[str], n: int = 2) -> set[str]:
    """Word n-grams of a token list; unigrams when the text is too short for n-grams to be fair."""
    if len(tokens) < 2 * n:
        # With 2-3 words one changed word would remove every bigram: compare the words themselves.
        return set(tokens)
    return {" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def text_shingles(text: str, n: int = 2) -> set[str]:
    """Word n-grams of a text taken within each clause, so the order of clauses and the punctuation do not matter.

    A clause shorter than n words contributes its words; a text shorter than 2n words, all its words.
    """
    clauses = _clauses(text)
    if sum(len(c) for c in clauses) < 2 * n:
        return {t for c in clauses for t in c}
    out: set[str] = set()
    for clause in clauses:
        out.update(_ngrams(clause, n))
    return out


def _features(clauses: list[tuple[str, ...]]) -> set[str]:
    """Unigrams and clause-local bigrams: words carry the matter, bigrams some of the phrasing."""
    out: set[str] = set()
    for clause in clauses:
        out.update(clause)
        out.update(clause[i] + " " + clause[i + 1] for i in range(len(clause) - 1))
    return out


def _char_bigrams(words: Iterable[str]) -> set[str]:
    chars = "".join(words)
    return {chars[i:i + 2] for i in range(len(chars) - 1)} or set(chars)


SHORT_MEASURE_WORDS = 4


def restatement_score(measure: str, problem_text: str) -> float:
    """Share of the measure's content that is already in the problem (0 = all new, 1 = only rewords it).

    Containment |F(measure) ∩ F(problem)| / |F(measure)| over content unigrams + bigrams. A measure with no
    content word at all (只有"进一步加强、严格落实") scores 1: it adds nothing to the problem. For short
    measures a character-bigram containment is also taken (the larger wins), since jieba may cut the same
    words differently in a short measure and in the problem (党务公开 / 党务 公开).
    """
    m_clauses = _clauses(measure)
    m_features = _features(m_clauses)
    if not m_features:
        return 1.0
    p_clauses = _clauses(problem_text)
    score = len(m_features & _features(p_clauses)) / len(m_features)
    m_words = [t for c in m_clauses for t in c]
    if len(m_words) < SHORT_MEASURE_WORDS:
        m_chars = _char_bigrams(m_words)
        p_chars = _char_bigrams(t for c in p_clauses for t in c)
        score = max(score, len(m_chars & p_chars) / len(m_chars))
    return score


def text_similarity(a: str, b: str) -> float:
    """Jaccard similarity of two texts over content unigrams + clause-local bigrams (0..1)."""
    fa, fb = _features(_clauses(a)), _features(_clauses(b))
    if not fa or not fb:
        return 0.0
    return len(fa & fb) / len(fa | fb)


def shared_words(a: str, b: str) -> set[str]:
    """Content words both texts use (tokens), to show a person what two texts have in common."""
    shared = set(tokens(a)) & set(tokens(b))
    # One-character words (党、会) would light up half the text; shared pairs of characters say more.
    return {word for word in shared if len(word) > 1} or (_char_pairs(a) & _char_pairs(b))


def _char_pairs(text: str) -> set[str]:
    norm = unicodedata.normalize("NFKC", text or "").lower()
    return {norm[i:i + 2] for i in range(len(norm) - 1) if norm[i].isalnum() and norm[i + 1].isalnum()}


def highlight(text: str, words: set[str]) -> list[tuple[str, bool]]:
    """The text cut into (piece, shared) runs, marking every occurrence of the shared words."""
    text = text or ""
    norm: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch).lower():
            norm.append(c)
            origin.append(i)
    folded = "".join(norm)
    marked = [False] * len(text)
    for word in sorted(words, key=len, reverse=True):
        start = 0
        while word and (pos := folded.find(word, start)) != -1:
            for k in range(pos, pos + len(word)):
                marked[origin[k]] = True
            start = pos + len(word)
    runs: list[tuple[str, bool]] = []
    for ch, mark in zip(text, marked, strict=True):
        if runs and runs[-1][1] == mark:
            runs[-1] = (runs[-1][0] + ch, mark)
        else:
            runs.append((ch, mark))
    return runs


def jaccard(a: AbstractSet[str], b: AbstractSet[str]) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


# --- MinHash + LSH --------------------------------------------------------------------------------------

NUM_PERM = 128
LSH_RECALL = 0.98  # wanted probability that a pair exactly at the threshold shares a band
MAX_BUCKET = 2000  # band buckets larger than this are not expanded (see near_duplicates)
_SEED = 20240611  # fixed: signatures, bands and therefore results are the same in every process


def _splitmix64(x: np.ndarray) -> np.ndarray:
    """A bijective 64-bit mixer (uint64 arithmetic wraps in numpy, which is what we want)."""
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _shingle_hashes(sets: Sequence[AbstractSet[str]]) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every shingle of every (non-empty) set, and each set's start offset in that array.

    crc32 is stable across processes (unlike hash()); splitmix spreads its 32 bits over 64. A crc collision
    only nudges an estimate: pairs are verified by exact Jaccard.
    """
    crc = zlib.crc32
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    flat = np.fromiter((crc(sh.encode()) for s in sets for sh in s), dtype=np.uint64, count=int(lengths.sum()))
    offsets = np.zeros(len(sets), dtype=np.int64)
    np.cumsum(lengths[:-1], out=offsets[1:])
    return _splitmix64(flat), offsets


def minhash_signatures(sets: Sequence[AbstractSet[str]], num_perm: int = NUM_PERM) -> np.ndarray:
    """MinHash signatures (len(sets) × num_perm, uint32) of non-empty shingle sets.

    Permutation k is the multiply-shift hash ((a_k·x + b_k) mod 2^64) >> 32 with odd a_k from a fixed seed.
    """
    if not sets:
        return np.zeros((0, num_perm), dtype=np.uint32)
    hashes, offsets = _shingle_hashes(sets)
    rng = np.random.default_rng(_SEED)
    a = rng.integers(1, 2**63, size=num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = rng.integers(0, 2**63, size=num_perm, dtype=np.uint64)
    sig = np.empty((len(sets), num_perm), dtype=np.uint32)
    shift = np.uint64(32)
    buf = np.empty_like(hashes)
    for k in range(num_perm):
        np.multiply(hashes, a[k], out=buf)
        np.add(buf, b[k], out=buf)
        np.right_shift(buf, shift, out=buf)
        sig[:, k] = np.minimum.reduceat(buf, offsets)
    return sig


def lsh_bands(threshold: float, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows): the most rows per band (fewest chance candidates) that still catch a pair at the
    threshold with probability LSH_RECALL, i.e. 1 - (1 - t^r)^b ≥ LSH_RECALL."""
    best = (num_perm, 1)
    for rows in range(1, num_perm + 1):
        bands = num_perm // rows
        if bands == 0:
            break
        if 1 - (1 - threshold**rows) ** bands >= LSH_RECALL:
            best = (bands, rows)
    return best


def _candidate_pairs(sig: np.ndarray, bands: int, rows: int, stats: dict[str, Any]) -> np.ndarray:
    """Pairs (i < j, as one uint64 i·n + j) of signatures that agree on all rows of at least one band."""
    n = sig.shape[0]
    rng = np.random.default_rng(_SEED + 1)
    mult = rng.integers(1, 2**63, size=rows, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    keys = np.empty(n * bands, dtype=np.uint64)
    for band in range(bands):
        block = sig[:, band * rows:(band + 1) * rows].astype(np.uint64)
        salt = np.uint64((band * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
        key = (block * mult).sum(axis=1, dtype=np.uint64) + salt
        keys[band * n:(band + 1) * n] = _splitmix64(key)
    ids = np.tile(np.arange(n, dtype=np.int64), bands)
    order = np.argsort(keys, kind="stable")
    keys, ids = keys[order], ids[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    sizes = np.diff(np.append(starts, len(keys)))
    found: list[np.ndarray] = []
    skipped = 0
    for size in np.unique(sizes[sizes >= 2]):
        if size > MAX_BUCKET:
            skipped += int((sizes == size).sum())
            continue
        run_starts = starts[sizes == size]
        members = ids[run_starts[:, None] + np.arange(size)]  # (runs, size)
        iu, ju = np.triu_indices(int(size), 1)
        lo = np.minimum(members[:, iu], members[:, ju]).ravel().astype(np.uint64)
        hi = np.maximum(members[:, iu], members[:, ju]).ravel().astype(np.uint64)
        found.append(lo * np.uint64(n) + hi)
    stats["skipped_buckets"] = skipped
    if not found:
        return np.zeros(0, dtype=np.uint64)
    pairs = np.concatenate(found)
    pairs.sort()  # sort + neighbour compare: numpy's hash-based unique is several times slower here
    return pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]


def _cross_pairs(us: list[int], vs: list[int], limit: int | None) -> Iterable[tuple[int, int]]:
    """Doc pairs between two clusters: all of them, or each doc of the larger cluster with `limit` docs of the
    smaller one, taken round-robin so that every doc of the smaller one is used too."""
    if limit is None or len(us) * len(vs) <= limit * max(len(us), len(vs)):
        return ((i, j) for i in us for j in vs)
    big, small = (us, vs) if len(us) >= len(vs) else (vs, us)
    picks = min(limit, len(small))
    return ((i, small[(index * picks + step) % len(small)]) for index, i in enumerate(big) for step in range(picks))


def near_duplicates(
    docs: Iterable[tuple[K, Hashable, str]],
    *,
    threshold: float = 0.6,
    num_perm: int = NUM_PERM,
    max_pairs_per_doc: int | None = None,
    stats: dict[str, Any] | None = None,
) -> list[tuple[K, K, float]]:
    """Pairs of texts from different groups whose shingle sets have Jaccard similarity ≥ threshold.

    docs: (key, group, text); the group is the unit: copying inside a unit is not what this catches.
    Returns (key_a, key_b, score) with key_a < key_b, each pair once, sorted. Keys must be orderable.

    Texts with identical shingle sets are collapsed before LSH (a template copied by many units is one
    signature, and all its cross-group pairs are returned with score 1). Texts with no content words are
    never paired (restatement_score catches them). A band bucket holding more than MAX_BUCKET distinct
    texts is not expanded into pairs; such pairs are still found through their other bands, and the count
    of skipped buckets is reported in stats.

    max_pairs_per_doc bounds the output when one text is shared by many groups (a template handed down to
    every unit would otherwise yield n²/2 pairs): identical or near-identical texts are then paired each with
    about that many others (at least min(limit, available) each, spread evenly), not with all. None: all pairs.

    stats, when given, is filled with seconds per stage ("segmentation", "minhash", "lsh", "verify") and
    counts ("docs", "distinct", "candidates", "estimated", "pairs", "bands", "rows", "skipped_buckets").
    """
    stats = stats if stats is not None else {}
    started = time.perf_counter()
    keys: list[K] = []
    groups: list[Hashable] = []
    cluster_of_set: dict[frozenset[str], int] = {}
    members: list[list[int]] = []
    by_text: dict[str, frozenset[str]] = {}  # texts copied verbatim are shingled once
    for key, group, text in docs:
        shingle_set = by_text.get(text)
        if shingle_set is None:
            shingle_set = by_text[text] = frozenset(text_shingles(text))
        if not shingle_set:
            continue
        index = len(keys)
        keys.append(key)
        groups.append(group)
        cluster = cluster_of_set.setdefault(shingle_set, len(members))
        if cluster == len(members):
            members.append([index])
        else:
            members[cluster].append(index)
    sets = list(cluster_of_set)  # in cluster order
    del by_text
    stats.update(docs=len(keys), distinct=len(sets))
    stats["segmentation"] = time.perf_counter() - started

    started = time.perf_counter()
    sig = minhash_signatures(sets, num_perm)
    stats["minhash"] = time.perf_counter() - started

    started = time.perf_counter()
    bands, rows = lsh_bands(threshold, num_perm)
    stats.update(bands=bands, rows=rows)
    candidates = _candidate_pairs(sig, bands, rows, stats) if len(sets) > 1 else np.zeros(0, dtype=np.uint64)
    stats["candidates"] = int(candidates.size)
    n = np.uint64(max(len(sets), 1))
    left = (candidates // n).astype(np.int64)
    right = (candidates % n).astype(np.int64)
    # A cluster whose texts all come from one group cannot pair with another cluster of the same group.
    group_code: dict[Hashable, int] = {}
    codes = [group_code.setdefault(g, len(group_code)) for g in groups]
    cluster_group = np.array([codes[m[0]] if all(codes[i] == codes[m[0]] for i in m) else -1 for m in members],
                             dtype=np.int64)
    cg_left, cg_right = cluster_group[left], cluster_group[right]
    keep = (cg_left != cg_right) | (cg_left == -1)
    left, right = left[keep], right[keep]
    # Drop pairs whose estimated similarity is far below the threshold before the exact check.
    margin = max(0.1, 3.5 * math.sqrt(threshold * (1 - threshold) / num_perm))
    agree = np.empty(left.size, dtype=np.int64)
    for lo in range(0, left.size, 50_000):
        hi = lo + 50_000
        agree[lo:hi] = np.count_nonzero(sig[left[lo:hi]] == sig[right[lo:hi]], axis=1)
    keep = agree >= (threshold - margin) * num_perm
    left, right = left[keep], right[keep]
    stats["estimated"] = int(left.size)
    stats["lsh"] = time.perf_counter() - started

    started = time.perf_counter()
    result: list[tuple[K, K, float]] = []

    def emit(i: int, j: int, score: float) -> bool:
        if groups[i] == groups[j]:
            return False
        a, b = keys[i], keys[j]
        result.append((a, b, score) if a < b else (b, a, score))  # type: ignore[operator]
        return True

    for u, v in zip(left.tolist(), right.tolist(), strict=True):
        score = jaccard(sets[u], sets[v])
        if score >= threshold - 1e-12:
            for i, j in _cross_pairs(members[u], members[v], max_pairs_per_doc):
                emit(i, j, score)
    for cluster in members:
        if max_pairs_per_doc is None or len(cluster) <= max_pairs_per_doc + 1:
            for x in range(len(cluster)):
                for y in range(x + 1, len(cluster)):
                    emit(cluster[x], cluster[y], 1.0)
            continue
        # Each text to the next few of the cluster (in input order), past those of its own group.
        for x in range(len(cluster)):
            made, y = 0, x + 1
            while made < max_pairs_per_doc and y < len(cluster) and y - x <= 4 * max_pairs_per_doc:
                made += emit(cluster[x], cluster[y], 1.0)
                y += 1
    result.sort(key=lambda r: (r[0], r[1]))
    stats["pairs"] = len(result)
    stats["verify"] = time.perf_counter() - started
    return result
