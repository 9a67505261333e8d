package dev.nanolet.agent.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

/**
 * Watches the framing of other nodes' answers on the forwarding client's connections.
 *
 * <p>An answer Netty's codec could not decode (but for one cut short by the node's hanging up) fails as a
 * {@link BrokenAnswer}, so the client is told the node's answer was malformed: Netty's causes are exceptions of many
 * kinds, most of them an {@code IllegalArgumentException}.
 *
 * <p>A kept connection to a node that sent bytes past its answer's framing is closed, so they are never read as the
 * answer to the next request forwarded on it. A serving node that sent a second answer after a whole one, or more body
 * than its {@code Content-Length}, had those bytes wait on the pooled connection: a whole second answer was dropped by
 * luck, and a part of one was read together with the node's next answer (502 for an unrelated request, or its answer
 * taken from the wrong bytes).
 *
 * <p>Two handlers around the HTTP codec share one state per connection: the one after it sees a request go out and its
 * answer end (its {@link LastHttpContent}; a {@code 100 Continue} ends nothing, and a connection that had another
 * {@code 1xx}, which Reactor Netty takes for the answer, is never kept), the one before it sees the
 * bytes. A connection is closed when bytes come while no request is out, when a message is decoded after the answer
 * ended, or when the read in which the answer ended left bytes in the codec. The codec's buffer is not visible, so that
 * last check is exact only when the codec held no bytes before the read: once a read leaves bytes in it (a header
 * section or a chunk-size line split across reads) the connection counts as holding some until it is closed, at the end
 * of that answer. That costs a new connection for the next request, never a wrong answer.
 *
 * <p>Reactor Netty gives the connection back to its pool, and so to a request waiting for one, as the end of the answer
 * is passed on, in the read that brings it: a close after that read came once the waiting request was sent on it, which
 * failed ("closed the connection without answering", 502 forwarded), for an honest node too when a header section took
 * more than one read. So a connection not to be kept is marked not persistent before its end is passed on, when it is
 * known by then (the codec held bytes before the read, or has bytes of it left past the end), and Reactor Netty closes
 * it instead of giving it back; the close after the read stays for bytes decoded past the end.
 */
final class AnswerFraming {

    private boolean inFlight;
    /** Whether the request out is a {@code HEAD}: its answer ends at its header section, as the codec reads it. */
    private boolean toHead;
    private boolean interim;
    private boolean ended;
    private boolean held;
    /** The bytes of the read in progress, which the codec reads from while it held none before it. */
    private ByteBuf reading;

    private AnswerFraming() {}

    /** Watches {@code channel}, a connection of the forwarding client, if it speaks HTTP/1.1 through Reactor Netty's codec. */
    static void watch(Channel channel) {
        if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
            AnswerFraming state = new AnswerFraming();
            channel.pipeline().addBefore(NettyPipeline.HttpCodec, "nanolet.answerFraming.bytes", state.new Bytes());
            channel.pipeline().addAfter(NettyPipeline.HttpCodec, "nanolet.answerFraming.messages", state.new Messages());
        }
    }

    /** Before the codec: the bytes as they arrive. */
    private final class Bytes extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf bytes)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (!inFlight) {
                bytes.release();
                ctx.close();
                return;
            }
            bytes.retain(); // the codec reads from it, and keeps it while it holds bytes of it (its buffer was empty)
            reading = bytes;
            try {
                ctx.fireChannelRead(bytes);
                held |= bytes.isReadable();
            } finally {
                reading = null;
                bytes.release();
            }
            if (ended && held) {
                ctx.close();
            }
            ended = false;
        }
    }

    /**
     * Whether {@code r}'s framing is one the forwarder refuses ({@link Forwarder#relay}): a transfer coding other than
     * {@code chunked} alone, or a length beside a coding. The codec ended it by its own reading, which need not be where the
     * node meant it to end. An answer to {@code HEAD}, a 204 or a 304 is never refused: it ends at its header section for the
     * codec and by RFC 9112 §6.3 alike, whatever its fields say, and bytes after it are bytes past its end.
     */
    private boolean refusedFraming(HttpResponse r) {
        return HttpField.framingFault(r.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING), r.headers().contains(HttpHeaderNames.CONTENT_LENGTH),
                toHead, r.status().code()) != null;
    }

    /** After the codec: requests going out, and what is decoded of their answers. */
    private final class Messages extends ChannelDuplexHandler {
        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpRequest r) {
                inFlight = true;
                toHead = HttpMethod.HEAD.equals(r.method());
            }
            ctx.write(msg, promise);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpObject && (ended || !inFlight)) {
                ReferenceCountUtil.release(msg);
                held = true; // closed once the read that brought it ends
                return;
            }
            if (msg instanceof HttpObject o && o.decoderResult().cause() instanceof Throwable cause
                    && !(cause instanceof PrematureChannelClosureException)) {
                o.setDecoderResult(DecoderResult.failure(new BrokenAnswer(cause)));
            }
            if (msg instanceof HttpResponse r) {
                interim = r.status().code() == 100; // Reactor Netty reads on past a 100 Continue to the answer
                // any other 1xx is the answer to Reactor Netty (a BrokenAnswer), and the node's own answer may follow it
                held |= r.status().codeClass() == HttpStatusClass.INFORMATIONAL && !interim;
                held |= refusedFraming(r); // a 502 (Forwarder#relay): where the node meant it to end is not known
            }
            if (msg instanceof LastHttpContent && !interim) {
                inFlight = false;
                ended = true;
                if (held || reading != null && reading.isReadable()) {
                    // Reactor Netty hands the connection to a waiting request as it passes the end on: not kept, it closes it instead
                    Connection.from(ctx.channel()).markPersistent(false);
                }
            }
            ctx.fireChannelRead(msg);
        }
    }
}
