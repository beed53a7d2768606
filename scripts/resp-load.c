/*
 * resp-load: a small RESP load generator for what redis-benchmark cannot
 * measure, a multi-command script per round trip (MULTI ... EXEC) and pairs
 * of clients where one side feeds the other (RPUSH -> BLPOP). Compiled and run
 * by scripts/bench.sh; prints redis-benchmark's --csv format.
 *
 *   resp-load [-h host] [-p port] [-c clients] [-n requests] [-P pipeline]
 *             [-t name] [-f feed-script] script
 *
 * A script is commands separated by ';', arguments by spaces:
 *   resp-load -n 100000 'MULTI;SET k v;INCR c;HSET h f v;EXEC'
 * Each client sends the script (P copies at a time with -P), waits for one reply
 * per command, and sends again, until `requests` scripts got their replies.
 * The latency of a script runs from the write of its batch to its last reply.
 *
 * With -f, half the clients send the feed script instead, `requests` times in
 * total, uncounted; requests/s and latencies are those of the main script:
 *   resp-load -f 'RPUSH q x' 'BLPOP q 0'   (completed pairs per second)
 *
 * Exits with status 1 on connection errors, when the server answers a command
 * with an error, or when no reply arrived for 30 s.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

typedef struct {
    char *data;
    size_t len, cap;
} buffer;

typedef struct {
    int fd;
    int counted;            /* main script (1) or feed script (0) */
    const buffer *script;   /* one encoded copy of the script */
    int commands;           /* replies per script */
    long *quota;            /* scripts left to send, shared by one side */
    buffer out;             /* the batch being written */
    size_t written;
    buffer in;              /* unparsed replies */
    int inflight;           /* scripts sent, not yet answered */
    int replies;            /* replies of the oldest in-flight script so far */
    double sent_at;         /* when the current batch was written */
} client;

static void die(const char *message) {
    fprintf(stderr, "resp-load: %s\n", message);
    exit(1);
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void append(buffer *b, const char *data, size_t len) {
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2;
        if (!(b->data = realloc(b->data, b->cap))) die("out of memory");
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

/* "MULTI;SET k v" -> RESP multibulk requests; returns the number of commands. */
static int encode_script(const char *text, buffer *out) {
    char *copy = strdup(text), *command_save, *word_save, header[32];
    int commands = 0;
    for (char *command = strtok_r(copy, ";", &command_save); command; command = strtok_r(NULL, ";", &command_save)) {
        char *words[64];
        int count = 0;
        for (char *word = strtok_r(command, " ", &word_save); word && count < 64; word = strtok_r(NULL, " ", &word_save))
            words[count++] = word;
        if (count == 0) continue;
        append(out, header, snprintf(header, sizeof header, "*%d\r\n", count));
        for (int i = 0; i < count; i++) {
            append(out, header, snprintf(header, sizeof header, "$%zu\r\n", strlen(words[i])));
            append(out, words[i], strlen(words[i]));
            append(out, "\r\n", 2);
        }
        commands++;
    }
    free(copy);
    if (commands == 0) die("empty script");
    return commands;
}

/* Length of the complete reply at p (nested arrays included), 0 if it is not
 * all there yet, -1 on a protocol error. Sets *error for a '-' reply. */
static long reply_length(const char *p, size_t len, int *error) {
    const char *end = memchr(p, '\n', len);
    if (!end) return 0;
    long header = end - p + 1, n = atol(p + 1);
    switch (p[0]) {
    case '-': *error = 1; /* fall through */
    case '+': case ':': return header;
    case '$': return n < 0 ? header : (header + n + 2 <= (long)len ? header + n + 2 : 0);
    case '*': {
        long total = header;
        for (long i = 0; i < n; i++) {
            long element = reply_length(p + total, len - total, error);
            if (element <= 0) return element;
            total += element;
        }
        return total;
    }
    default: return -1;
    }
}

static int compare(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int connect_to(const char *host, const char *port) {
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *info;
    if (getaddrinfo(host, port, &hints, &info) != 0) die("cannot resolve host");
    int fd = socket(info->ai_family, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, info->ai_addr, info->ai_addrlen) != 0) die("cannot connect");
    freeaddrinfo(info);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* Queues the next batch (up to `pipeline` scripts) if the client is idle. */
static void send_batch(client *c, int pipeline) {
    if (c->inflight > 0 || c->written < c->out.len || *c->quota == 0) return;
    c->out.len = c->written = 0;
    while (c->inflight < pipeline && *c->quota > 0) {
        append(&c->out, c->script->data, c->script->len);
        c->inflight++;
        (*c->quota)--;
    }
    c->sent_at = now_ms();
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *port = "6379", *name = NULL, *feed_text = NULL;
    long requests = 100000;
    int clients = 50, pipeline = 1, opt;
    while ((opt = getopt(argc, argv, "h:p:c:n:P:t:f:")) != -1) {
        switch (opt) {
        case 'h': host = optarg; break;
        case 'p': port = optarg; break;
        case 'c': clients = atoi(optarg); break;
        case 'n': requests = atol(optarg); break;
        case 'P': pipeline = atoi(optarg); break;
        case 't': name = optarg; break;
        case 'f': feed_text = optarg; break;
        default: die("usage: resp-load [-h host] [-p port] [-c clients] [-n requests] [-P pipeline] [-t name] [-f feed-script] script");
        }
    }
    if (optind != argc - 1 || clients < 1 || requests < 1 || pipeline < 1) die("bad arguments (see the comment at the top of resp-load.c)");
    if (feed_text && clients < 2) die("-f needs at least 2 clients");
    const char *text = argv[optind];

    buffer script = {0}, feed = {0};
    int commands = encode_script(text, &script), feed_commands = feed_text ? encode_script(feed_text, &feed) : 0;
    long quota = requests, feed_quota = feed_text ? requests : 0;
    int feeders = feed_text ? clients / 2 : 0;

    client *all = calloc(clients, sizeof *all);
    struct pollfd *fds = calloc(clients, sizeof *fds);
    double *latencies = malloc(requests * sizeof *latencies);
    if (!all || !fds || !latencies) die("out of memory");
    for (int i = 0; i < clients; i++) {
        client *c = &all[i];
        int feeding = i < feeders;
        c->fd = connect_to(host, port);
        c->counted = !feeding;
        c->script = feeding ? &feed : &script;
        c->commands = feeding ? feed_commands : commands;
        c->quota = feeding ? &feed_quota : &quota;
        fds[i].fd = c->fd;
    }

    long done = 0, errors = 0;
    double started = now_ms(), last_progress = started;
    char chunk[65536];
    while (done < requests) {
        for (int i = 0; i < clients; i++) {
            send_batch(&all[i], pipeline);
            fds[i].events = POLLIN | (all[i].written < all[i].out.len ? POLLOUT : 0);
        }
        if (poll(fds, clients, 1000) < 0 && errno != EINTR) die("poll failed");
        double now = now_ms();
        if (now - last_progress > 30000) die("no reply for 30 s");
        for (int i = 0; i < clients; i++) {
            client *c = &all[i];
            if (fds[i].revents & POLLOUT) {
                ssize_t n = write(c->fd, c->out.data + c->written, c->out.len - c->written);
                if (n < 0 && errno != EAGAIN) die("write failed");
                if (n > 0) c->written += n;
            }
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t n = read(c->fd, chunk, sizeof chunk);
            if (n == 0 || (n < 0 && errno != EAGAIN)) die("connection closed by the server");
            if (n < 0) continue;
            append(&c->in, chunk, n);
            size_t offset = 0;
            long length = 0;
            int error = 0;
            while (c->inflight > 0 && (length = reply_length(c->in.data + offset, c->in.len - offset, &error)) > 0) {
                if (error && errors++ == 0) fprintf(stderr, "resp-load: server error: %.*s", (int)length, c->in.data + offset);
                offset += length;
                if (++c->replies < c->commands) continue;
                c->replies = 0;
                c->inflight--;
                last_progress = now;
                if (c->counted && done < requests) latencies[done++] = now - c->sent_at;
            }
            if (length < 0) die("protocol error in a reply");
            memmove(c->in.data, c->in.data + offset, c->in.len - offset);
            c->in.len -= offset;
        }
    }
    double elapsed = now_ms() - started, sum = 0;
    qsort(latencies, requests, sizeof *latencies, compare);
    for (long i = 0; i < requests; i++) sum += latencies[i];
    printf("\"test\",\"rps\",\"avg_latency_ms\",\"min_latency_ms\",\"p50_latency_ms\",\"p95_latency_ms\",\"p99_latency_ms\",\"max_latency_ms\"\n");
    printf("\"%s\",\"%.2f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\",\"%.3f\"\n", name ? name : text,
           requests / (elapsed / 1000), sum / requests, latencies[0], latencies[requests / 2],
           latencies[requests * 95 / 100], latencies[requests * 99 / 100], latencies[requests - 1]);
    for (int i = 0; i < clients; i++) close(all[i].fd);
    return errors ? 1 : 0;
}
