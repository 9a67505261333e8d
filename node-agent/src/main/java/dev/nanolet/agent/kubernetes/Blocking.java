package dev.nanolet.agent.kubernetes;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** fabric8's client blocks: its calls run on Reactor's bounded elastic threads. */
final class Blocking {

    private Blocking() {}

    static Mono<Void> run(Runnable r) {
        return Mono.fromRunnable(r).subscribeOn(Schedulers.boundedElastic()).then();
    }
}
