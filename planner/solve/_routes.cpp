// The day-route search of planner/solve/routes.py (`_DaySearch._extend` and what it calls),
// compiled: the same steps in the same order, the same floating-point sums in the same order
// (build without fast-math and without contraction), so the routes and the step count are
// the Python search's. routes.py prepares every input (tasks sorted, gains, clash masks,
// completion order) and stays the reference; this file is only the hot path. The search
// runs with the GIL released.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <queue>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace {

constexpr int NONE = INT_MIN;  // Python's None for a start or a place
enum Previous { P_NONE = 0, P_VISIT = 1, P_APPOINTMENT = 2 };

template <int W>
struct Mask {
    uint64_t w[W];
    bool meets(const Mask& o) const {
        for (int k = 0; k < W; ++k)
            if (w[k] & o.w[k]) return true;
        return false;
    }
    Mask with(int bit) const {
        Mask m = *this;
        m.w[bit >> 6] |= uint64_t(1) << (bit & 63);
        return m;
    }
    bool operator==(const Mask& o) const { return std::memcmp(w, o.w, sizeof(w)) == 0; }
    bool operator<(const Mask& o) const {  // as the big integer Python holds
        for (int k = W - 1; k >= 0; --k)
            if (w[k] != o.w[k]) return w[k] < o.w[k];
        return false;
    }
};

template <int W>
struct MaskHash {
    size_t operator()(const Mask<W>& m) const {
        uint64_t h = 0x9E3779B97F4A7C15ull;
        for (int k = 0; k < W; ++k) {
            h ^= m.w[k] + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
            h *= 0xBF58476D1CE4E5B9ull;
        }
        return size_t(h ^ (h >> 31));
    }
};

struct StopRec {
    int index, start, end, leg;
};

// Everything the search reads, converted from Python with the GIL held.
struct Spec {
    int n = 0, places = 0, appointments = 0, cap = 0;
    int worker_start = 0, worker_end = 0;
    bool pruning = false, has_keep = false, has_lunch = false, has_max_travel = false, working_time_set = false;
    long long keep = 0, nodes_left = 0;
    double floor = 0;
    int lunch_minutes = 0, lunch_earliest = 0, lunch_latest = 0;
    int recording = 0, max_travel = 0, recording_room = 0;
    std::vector<double> gain;
    std::vector<int> place, duration, win_offset, win_low, win_high;
    std::vector<uint64_t> clashes;  // n x W words
    std::vector<int> travel;        // places x places
    std::vector<int> a_start, a_end;
    // completion bounds (pruning only)
    std::vector<double> net, best_more;
    std::vector<int> group, minutes, by_net, last_start, by_rate, recorded, by_rate_recorded;
    int groups = 0, day_end = 0;
};

template <int W>
struct Entry {
    Mask<W> used;
    int travel;
    double gain;
    long long lateness;
    size_t stops;  // offset in the stop pool
    int count;
};

template <int W>
class Search {
public:
    explicit Search(const Spec& s) : s(s), stamp(s.groups, 0) {
        nodes_left = s.nodes_left;
        clashes.resize(s.n);
        for (int i = 0; i < s.n; ++i)
            for (int k = 0; k < W; ++k) clashes[i].w[k] = s.clashes[size_t(i) * W + k];
        stops.reserve(64);
    }

    void run() {
        Mask<W> none{};
        extend(s.worker_start, 0, 0, none, 0, P_NONE, 0.0, false, 0, 0);
    }

    const Spec& s;
    long long nodes_left;
    double frontier = -std::numeric_limits<double>::infinity();
    std::vector<Entry<W>> entries;  // in the order first recorded, as Python's dict
    std::vector<StopRec> pool;
    std::unordered_map<Mask<W>, size_t, MaskHash<W>> index;

private:
    std::vector<Mask<W>> clashes;
    std::vector<StopRec> stops;  // the partial route's stops
    std::priority_queue<double, std::vector<double>, std::greater<double>> scores;
    std::vector<int> stamp;
    int stamp_now = 0;

    int tr(int from, int to) const { return s.travel[size_t(from) * s.places + to]; }

    int earliest_start(int i, int arrival) const {
        for (int w = s.win_offset[i]; w < s.win_offset[i + 1]; ++w)
            if (arrival <= s.win_high[w]) return s.win_low[w] > arrival ? s.win_low[w] : arrival;
        return NONE;
    }

    bool lunch_fits(int free_from, int free_to, int travel) const {
        int after_travel = std::min(free_to, s.lunch_latest) - std::max(free_from + travel, s.lunch_earliest);
        int before_travel = std::min(free_to - travel, s.lunch_latest) - std::max(free_from, s.lunch_earliest);
        return std::max(after_travel, before_travel) >= s.lunch_minutes;
    }

    double rest(long long count, const Mask<W>& used, int clock) {
        double total = 0.0;
        long long taken = 0;
        ++stamp_now;
        for (int index : s.by_net) {
            if (used.meets(clashes[index]) || s.last_start[index] < clock || stamp[s.group[index]] == stamp_now)
                continue;
            stamp[s.group[index]] = stamp_now;
            total += s.net[index];
            taken += 1;
            if (taken == count) break;
        }
        return total;
    }

    double knapsack(const std::vector<int>& order, const std::vector<int>& weights, const Mask<W>& used, int clock,
                    int left) const {
        double total = 0.0;
        for (int index : order) {
            if (used.meets(clashes[index]) || s.last_start[index] < clock) continue;
            if (weights[index] >= left)
                return total + s.net[index] * double(std::max(0, left)) / double(std::max(1, weights[index]));
            total += s.net[index];
            left -= weights[index];
        }
        return total;
    }

    double rest_in_time(const Mask<W>& used, int clock, bool has_room, int room) const {
        double most = knapsack(s.by_rate, s.minutes, used, clock, s.day_end - clock);
        if (has_room) {
            double other = knapsack(s.by_rate_recorded, s.recorded, used, clock, room);
            if (other < most) most = other;
        }
        return most;
    }

    void out_of_steps(int clock, const Mask<W>& used, int travel, double gain, int minutes) {
        if (!s.pruning) return;
        int count = int(stops.size());
        int room = s.recording_room - minutes - travel - count * s.recording;
        double a = rest(s.cap - count, used, clock);
        double b = rest_in_time(used, clock, s.recording != 0, room);
        double r = b < a ? b : a;
        double x = gain + r - travel;
        if (x > frontier) frontier = x;
    }

    bool keeps_working_time(int clock, int place, int day_travel, int visits, int minutes, bool lunched) const {
        if (s.has_max_travel && day_travel > s.max_travel) return false;
        if (s.recording && s.recording_room - minutes - day_travel - visits * s.recording < 0) return false;
        return !s.has_lunch || lunched || lunch_fits(clock, s.worker_end, tr(place, 0));
    }

    void record(int clock, int place, const Mask<W>& used, int travel, int previous, double gain, bool lunched,
                int minutes, long long lateness) {
        int home = tr(place, 0);
        if (previous == P_VISIT && clock + home > s.worker_end) return;
        int total = travel + home;
        auto found = index.find(used);
        Entry<W>* known = found == index.end() ? nullptr : &entries[found->second];
        if (known && (total > known->travel || (total == known->travel && lateness >= known->lateness))) return;
        if (s.working_time_set && !keeps_working_time(clock, place, total, int(stops.size()), minutes, lunched))
            return;
        if (known && known->travel == total) {  // same visits and travel, earlier: the first gain kept
            std::copy(stops.begin(), stops.end(), pool.begin() + known->stops);
            known->lateness = lateness;
            return;
        }
        if (known) {
            known->travel = total;
            known->gain = gain;
            known->lateness = lateness;
            std::copy(stops.begin(), stops.end(), pool.begin() + known->stops);
        } else {
            Entry<W> e{used, total, gain, lateness, pool.size(), int(stops.size())};
            pool.insert(pool.end(), stops.begin(), stops.end());
            index.emplace(used, entries.size());
            entries.push_back(e);
        }
        if (s.has_keep) {
            double score = gain - total;
            if (score > s.floor) {
                if (scores.size() < size_t(s.keep)) {
                    scores.push(score);
                } else if (score > scores.top()) {
                    scores.pop();
                    scores.push(score);
                }
            }
        }
    }

    void place_appointment(int clock, int place, int a, const Mask<W>& used, int travel, int previous, double gain,
                           bool lunched, int minutes, long long lateness) {
        int there = 1 + a;
        int leg = tr(place, there);
        if (previous == P_VISIT && clock + leg > s.a_start[a]) return;
        if (s.has_lunch && !lunched) lunched = lunch_fits(clock, s.a_start[a], leg);
        extend(std::max(clock, s.a_end[a]), there, a + 1, used, travel + leg, P_APPOINTMENT, gain, lunched, minutes,
               lateness);
    }

    void after_lunch(int i, int start, int clock, int place, int na, const Mask<W>& used, int travel, int leg,
                     double gain, int minutes, long long lateness) {
        int arrival = std::max(clock + leg, s.lunch_earliest) + s.lunch_minutes;
        if (arrival > s.lunch_latest) {
            arrival = std::max(clock, s.lunch_earliest) + s.lunch_minutes + leg;
            if (arrival - leg > s.lunch_latest) return;
        }
        int later = earliest_start(i, arrival);
        if (later == NONE || later == start) return;
        int end = later + s.duration[i];
        int there = s.place[i];
        int after = there == NONE ? place : there;
        if (na < s.appointments && end + tr(after, 1 + na) > s.a_start[na]) return;
        stops.push_back({i, later, end, leg});
        extend(end, after, na, used.with(i), travel + leg, P_VISIT, gain + s.gain[i], true, minutes + s.duration[i],
               lateness + later);
        stops.pop_back();
    }

    void extend(int clock, int place, int na, const Mask<W>& used, int travel, int previous, double gain,
                bool lunched, int minutes, long long lateness) {
        nodes_left -= 1;
        if (nodes_left < 0) {
            out_of_steps(clock, used, travel, gain, minutes);
            return;
        }
        if (s.has_lunch && !lunched && clock + s.lunch_minutes > s.lunch_latest) return;
        if (na == s.appointments && !stops.empty())
            record(clock, place, used, travel, previous, gain, lunched, minutes, lateness);
        if (na < s.appointments) place_appointment(clock, place, na, used, travel, previous, gain, lunched, minutes, lateness);
        int count = int(stops.size());
        int room = s.cap - count;
        if (room <= 0) return;
        bool has_threshold = s.pruning;
        double threshold = 0.0;
        if (has_threshold) {
            threshold = s.floor;
            if (s.has_keep && scores.size() >= size_t(s.keep) && !scores.empty() && scores.top() > threshold)
                threshold = scores.top();
        }
        const int* row = &s.travel[size_t(place) * s.places];
        bool has_longest = s.recording != 0;
        int longest = s.recording_room - minutes - travel - (count + 1) * s.recording;
        if (has_threshold) threshold += (double(travel) - gain) - s.best_more[room - 1];
        int before = na < s.appointments ? s.a_start[na] : NONE;
        bool lunch_open = s.has_lunch && !lunched;
        for (int i = 0; i < s.n; ++i) {
            if (used.meets(clashes[i])) continue;
            int duration = s.duration[i];
            if (has_longest && duration > longest) continue;
            int there = s.place[i];
            if (has_threshold) {
                if (s.gain[i] <= threshold) break;  // visits are sorted by gain
                if (there != NONE && s.gain[i] - row[there] <= threshold) continue;
            }
            int leg = there == NONE ? 0 : row[there];
            if (s.has_max_travel && travel + leg > s.max_travel) continue;
            int start = earliest_start(i, clock + leg);
            bool then_lunched = lunched;
            if (lunch_open) {
                if (start != NONE && lunch_fits(clock, start, leg))
                    then_lunched = true;
                else
                    after_lunch(i, start, clock, place, na, used, travel, leg, gain, minutes, lateness);
            }
            if (start == NONE) continue;
            int end = start + duration;
            int after = there == NONE ? place : there;
            if (before != NONE && end + tr(after, 1 + na) > before) continue;
            Mask<W> then_used = used.with(i);
            int then_travel = travel + leg;
            double then_gain = gain + s.gain[i];
            int then_minutes = minutes + duration;
            long long then_lateness = lateness + start;
            stops.push_back({i, start, end, leg});
            if (room > 1) {
                extend(end, after, na, then_used, then_travel, P_VISIT, then_gain, then_lunched, then_minutes,
                       then_lateness);
            } else {  // the route is full: extend's steps for it, inline, as in Python
                nodes_left -= 1;
                if (nodes_left < 0)
                    out_of_steps(end, then_used, then_travel, then_gain, then_minutes);
                else if (lunch_open && !then_lunched && end + s.lunch_minutes > s.lunch_latest)
                    ;
                else if (before == NONE)
                    record(end, after, then_used, then_travel, P_VISIT, then_gain, then_lunched, then_minutes,
                           then_lateness);
                else
                    place_appointment(end, after, na, then_used, then_travel, P_VISIT, then_gain, then_lunched,
                                      then_minutes, then_lateness);
            }
            stops.pop_back();
        }
    }
};

// -- conversion from Python -----------------------------------------------------------------

struct Failed {};  // a Python exception is set

long long as_long(PyObject* o) {
    long long v = PyLong_AsLongLong(o);
    if (v == -1 && PyErr_Occurred()) throw Failed();
    return v;
}

double as_double(PyObject* o) {
    double v = PyFloat_AsDouble(o);
    if (v == -1.0 && PyErr_Occurred()) throw Failed();
    return v;
}

PyObject* item(PyObject* seq, Py_ssize_t i) {  // borrowed
    PyObject* o = PySequence_Fast_GET_ITEM(seq, i);
    return o;
}

struct Fast {  // a list or tuple, held
    PyObject* seq;
    explicit Fast(PyObject* o) : seq(PySequence_Fast(o, "a sequence is needed")) {
        if (!seq) throw Failed();
    }
    ~Fast() { Py_XDECREF(seq); }
    Py_ssize_t size() const { return PySequence_Fast_GET_SIZE(seq); }
    PyObject* operator[](Py_ssize_t i) const { return item(seq, i); }
};

std::vector<int> ints(PyObject* o, int none = NONE) {
    Fast f(o);
    std::vector<int> out(f.size());
    for (Py_ssize_t i = 0; i < f.size(); ++i) out[i] = f[i] == Py_None ? none : int(as_long(f[i]));
    return out;
}

std::vector<double> doubles(PyObject* o) {
    Fast f(o);
    std::vector<double> out(f.size());
    for (Py_ssize_t i = 0; i < f.size(); ++i) out[i] = as_double(f[i]);
    return out;
}

std::vector<uint64_t> words(PyObject* o) {
    Fast f(o);
    std::vector<uint64_t> out(f.size());
    for (Py_ssize_t i = 0; i < f.size(); ++i) {
        out[i] = PyLong_AsUnsignedLongLong(f[i]);
        if (PyErr_Occurred()) throw Failed();
    }
    return out;
}

// -- results to Python --------------------------------------------------------------------

template <int W>
PyObject* mask_to_int(const Mask<W>& m) {
    PyObject* out = PyLong_FromUnsignedLongLong(m.w[W - 1]);
    for (int k = W - 2; k >= 0 && out; --k) {
        PyObject* shift = PyLong_FromLong(64);
        PyObject* shifted = shift ? PyNumber_Lshift(out, shift) : nullptr;
        Py_XDECREF(shift);
        Py_DECREF(out);
        PyObject* low = shifted ? PyLong_FromUnsignedLongLong(m.w[k]) : nullptr;
        out = low ? PyNumber_Or(shifted, low) : nullptr;
        Py_XDECREF(shifted);
        Py_XDECREF(low);
    }
    return out;
}

template <int W>
PyObject* stops_tuple(const Search<W>& search, const Entry<W>& e) {
    PyObject* t = PyTuple_New(e.count);
    if (!t) return nullptr;
    for (int j = 0; j < e.count; ++j) {
        const StopRec& r = search.pool[e.stops + j];
        PyObject* stop = Py_BuildValue("(iiii)", r.index, r.start, r.end, r.leg);
        if (!stop) {
            Py_DECREF(t);
            return nullptr;
        }
        PyTuple_SET_ITEM(t, j, stop);
    }
    return t;
}

// Pruning: the kept routes, best first ((score, -used) descending, as heapq.nlargest), as
// (travel, stops), or None where there are more than `most_out` (>= 0); else every recorded
// set, in the order first recorded, as (used, travel, gain, stops, lateness).
template <int W>
PyObject* results(Search<W>& search, const Spec& s, long long keep_out, long long most_out) {
    PyObject* list = PyList_New(0);
    if (!list) return nullptr;
    double found = -std::numeric_limits<double>::infinity();
    auto append = [&](PyObject* o) -> bool {
        if (!o) return false;
        int rc = PyList_Append(list, o);
        Py_DECREF(o);
        return rc == 0;
    };
    bool ok = true;
    if (s.pruning) {
        std::vector<size_t> chosen;
        for (size_t i = 0; i < search.entries.size(); ++i) {
            const Entry<W>& e = search.entries[i];
            double score = e.gain - e.travel;
            if (score > found) found = score;
            if (score > s.floor) chosen.push_back(i);
        }
        auto better = [&](size_t a, size_t b) {
            const Entry<W>& x = search.entries[a];
            const Entry<W>& y = search.entries[b];
            double sx = x.gain - x.travel, sy = y.gain - y.travel;
            if (sx != sy) return sx > sy;
            return x.used < y.used;  // -used larger
        };
        size_t take = keep_out > 0 ? std::min(chosen.size(), size_t(keep_out)) : chosen.size();
        if (most_out >= 0 && take > size_t(most_out)) {
            Py_DECREF(list);
            return Py_BuildValue("(OLdd)", Py_None, search.nodes_left, search.frontier, found);
        }
        std::partial_sort(chosen.begin(), chosen.begin() + take, chosen.end(), better);
        for (size_t j = 0; j < take && ok; ++j) {
            const Entry<W>& e = search.entries[chosen[j]];
            PyObject* stops = stops_tuple(search, e);
            ok = stops && append(Py_BuildValue("(iN)", e.travel, stops));
        }
    } else {
        for (const Entry<W>& e : search.entries) {
            double score = e.gain - e.travel;
            if (score > found) found = score;
            PyObject* used = mask_to_int(e.used);
            PyObject* stops = used ? stops_tuple(search, e) : nullptr;
            if (!stops) {
                Py_XDECREF(used);
                ok = false;
                break;
            }
            ok = append(Py_BuildValue("(NidNL)", used, e.travel, e.gain, stops, e.lateness));
            if (!ok) break;
        }
    }
    if (!ok) {
        Py_DECREF(list);
        return nullptr;
    }
    return Py_BuildValue("(NLdd)", list, search.nodes_left, search.frontier, found);
}

template <int W>
PyObject* solve(const Spec& s, long long keep_out, long long most_out) {
    std::unique_ptr<Search<W>> search;
    bool memory = false;
    Py_BEGIN_ALLOW_THREADS
    try {
        search.reset(new Search<W>(s));
        search->run();
    } catch (const std::bad_alloc&) {
        memory = true;
    }
    Py_END_ALLOW_THREADS
    if (memory) return PyErr_NoMemory();
    return results(*search, s, keep_out, most_out);
}

PyObject* search(PyObject*, PyObject* args) {
    PyObject *gain, *place, *duration, *windows, *clashes, *travel, *a_start, *a_end, *lunch, *completion;
    int words_per_mask, cap, worker_start, worker_end, pruning, working_time_set, recording, recording_room;
    long long keep, nodes_left, max_travel, most_out = -1;
    double floor;
    if (!PyArg_ParseTuple(args, "iOOOOOOOOiiiiidLLOiLiO|L", &words_per_mask, &gain, &place, &duration, &windows,
                          &clashes, &travel, &a_start, &a_end, &cap, &worker_start, &worker_end, &pruning,
                          &working_time_set, &floor, &keep, &nodes_left, &lunch, &recording, &max_travel,
                          &recording_room, &completion, &most_out))
        return nullptr;
    Spec s;
    try {
        s.gain = doubles(gain);
        s.place = ints(place);
        s.duration = ints(duration);
        s.n = int(s.gain.size());
        Fast win(windows);
        s.win_offset.push_back(0);
        for (Py_ssize_t i = 0; i < win.size(); ++i) {
            Fast task(win[i]);
            for (Py_ssize_t j = 0; j < task.size(); ++j) {
                Fast pair(task[j]);
                s.win_low.push_back(int(as_long(pair[0])));
                s.win_high.push_back(int(as_long(pair[1])));
            }
            s.win_offset.push_back(int(s.win_low.size()));
        }
        s.clashes = words(clashes);
        Fast rows(travel);
        s.places = int(rows.size());
        s.travel.reserve(size_t(s.places) * s.places);
        for (Py_ssize_t i = 0; i < rows.size(); ++i) {
            std::vector<int> row = ints(rows[i]);
            if (int(row.size()) < s.places) {
                PyErr_SetString(PyExc_ValueError, "the travel matrix is not square");
                return nullptr;
            }
            s.travel.insert(s.travel.end(), row.begin(), row.begin() + s.places);
        }
        s.a_start = ints(a_start);
        s.a_end = ints(a_end);
        s.appointments = int(s.a_start.size());
        s.cap = cap;
        s.worker_start = worker_start;
        s.worker_end = worker_end;
        s.pruning = pruning != 0;
        s.working_time_set = working_time_set != 0;
        s.floor = floor;
        s.has_keep = keep >= 0;
        s.keep = keep;
        s.nodes_left = nodes_left;
        s.has_lunch = lunch != Py_None;
        if (s.has_lunch) {
            std::vector<int> l = ints(lunch);
            s.lunch_minutes = l.at(0);
            s.lunch_earliest = l.at(1);
            s.lunch_latest = l.at(2);
        }
        s.recording = recording;
        s.has_max_travel = max_travel >= 0;
        s.max_travel = int(max_travel);
        s.recording_room = recording_room;
        if (s.pruning) {
            Fast c(completion);
            s.net = doubles(c[0]);
            s.group = ints(c[1]);
            s.minutes = ints(c[2]);
            s.by_net = ints(c[3]);
            s.last_start = ints(c[4]);
            s.best_more = doubles(c[5]);
            s.by_rate = ints(c[6]);
            s.recorded = ints(c[7]);
            s.by_rate_recorded = ints(c[8]);
            s.day_end = int(as_long(c[9]));
            for (int g : s.group) s.groups = std::max(s.groups, g + 1);
        }
    } catch (const Failed&) {
        return nullptr;
    } catch (const std::exception& e) {
        PyErr_SetString(PyExc_ValueError, e.what());
        return nullptr;
    }
    if (int(s.duration.size()) != s.n || int(s.place.size()) != s.n || int(s.win_offset.size()) != s.n + 1 ||
        s.clashes.size() != size_t(s.n) * words_per_mask) {
        PyErr_SetString(PyExc_ValueError, "the tasks' lists differ in length");
        return nullptr;
    }
    long long keep_out = s.has_keep ? keep : 0;
    switch (words_per_mask) {
        case 1: return solve<1>(s, keep_out, most_out);
        case 2: return solve<2>(s, keep_out, most_out);
        case 4: return solve<4>(s, keep_out, most_out);
        case 8: return solve<8>(s, keep_out, most_out);
        default:
            PyErr_SetString(PyExc_ValueError, "words per mask must be 1, 2, 4 or 8");
            return nullptr;
    }
}

PyMethodDef methods[] = {
    {"search", search, METH_VARARGS, "One worker-day's route search (routes._DaySearch), compiled."},
    {nullptr, nullptr, 0, nullptr},
};

PyModuleDef module = {PyModuleDef_HEAD_INIT, "_routes", "The day-route search, compiled.", -1, methods};

}  // namespace

PyMODINIT_FUNC PyInit__routes(void) { return PyModule_Create(&module); }
