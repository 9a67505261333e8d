package dev.nanolet.agent.http;

import org.springframework.stereotype.Component;

/**
 * The node-wide budget of request-body bytes held in memory at once ({@link HttpProperties#bodyBudget()}).
 * Bodies are read whole before a request takes a slot, so without it 100 connections each sending
 * a body of the per-request cap would hold 100 × that cap. A request reserves what it declares
 * ({@code Content-Length}) before a byte is read, a chunked one as its chunks arrive.
 */
@Component
class BodyBudget extends ByteBudget {

    BodyBudget(HttpProperties props) {
        super(props.bodyBudget().toBytes());
    }
}
