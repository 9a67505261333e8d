package dev.nanolet.platform.web;

import dev.nanolet.platform.BadRequestException;
import dev.nanolet.platform.ConflictException;
import dev.nanolet.platform.InvalidInputException;
import dev.nanolet.platform.NanoletException;
import dev.nanolet.platform.NotFoundException;
import dev.nanolet.platform.PayloadTooLargeException;
import dev.nanolet.platform.PreconditionFailedException;
import dev.nanolet.platform.CredentialEndedException;
import dev.nanolet.platform.DatabaseUnansweredException;
import dev.nanolet.platform.GoneException;
import dev.nanolet.platform.TooManyRequestsException;
import dev.nanolet.platform.database.DatabaseOutage;
import dev.nanolet.platform.database.LockConflict;
import dev.nanolet.platform.UnavailableException;
import dev.nanolet.platform.ForbiddenException;
import dev.nanolet.wire.Problem.FieldError;
import dev.nanolet.wire.Role;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.apache.tomcat.util.http.fileupload.InvalidFileNameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.support.MissingServletRequestPartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place where failures become RFC 9457 problem details: Nanolet's own exceptions by
 * type, Spring MVC's (405, 415, 404, 413, …) through the base class, unreadable JSON as 400
 * naming the path Jackson reports (an unknown field, refused only in strict bodies, as 422),
 * and anything else as a 500 that shows no internals.
 */
@RestControllerAdvice
class ProblemAdvice extends ResponseEntityExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);
    static final String LOCK_CONFLICT = "this request conflicted with a concurrent one and nothing was written; send it again";
    static final String FORM_NOT_DECODED = "the form body's parameters are not UTF-8 text, percent-encoded (%XX); no endpoint reads a form body";
    static final String FILE_NAME_NUL = "its file name " + JsonInputRules.NUL;
    static final String MULTIPART_UNREADABLE = "the multipart body cannot be read: it is not multipart/form-data with the"
            + " boundary its Content-Type names, each part with its headers";
    static final String DATABASE_DOWN = "the platform's database cannot be reached right now; try again shortly";

    @ExceptionHandler(NanoletException.class)
    ProblemDetail nanolet(NanoletException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(statusOf(e), e.getMessage());
        if (e instanceof InvalidInputException invalid) {
            problem.setTitle("Invalid input");
            problem.setProperty("errors", invalid.errors());
        } else if (e instanceof ConflictException conflict && !conflict.errors().isEmpty()) {
            problem.setProperty("errors", conflict.errors());
        } else if (e instanceof RepeatedParameters.Refused refused) {
            problem.setProperty("errors", List.of(new FieldError(refused.parameter, RepeatedParameters.MESSAGE)));
        } else if (e instanceof BadRequestException bad && !bad.errors().isEmpty()) {
            problem.setProperty("errors", bad.errors());
        } else if (e instanceof PreconditionFailedException failed) {
            problem.setProperty("resourceVersion", failed.current());
        }
        return problem;
    }

    /** 429, with {@code Retry-After} when the refusal says how long to wait. */
    @ExceptionHandler(TooManyRequestsException.class)
    ResponseEntity<ProblemDetail> tooMany(TooManyRequestsException e) {
        var response = ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS);
        if (e.retryAfterSeconds() != null) {
            response.header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds().toString());
        }
        return response.body(nanolet(e));
    }

    /** 401, with {@code WWW-Authenticate} as the bearer filter's own. */
    @ExceptionHandler(CredentialEndedException.class)
    ResponseEntity<ProblemDetail> credentialEnded(CredentialEndedException e) {
        ProblemDetail problem = nanolet(e);
        problem.setTitle("Unauthorized");
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, BearerTokenFilter.CHALLENGE)
                .body(problem);
    }

    /** 503 with {@code Retry-After} as a plain outage's, in the words of the request it ended (a wait's write stays). */
    @ExceptionHandler(DatabaseUnansweredException.class)
    ResponseEntity<ProblemDetail> unanswered(DatabaseUnansweredException e) {
        log.warn("{}: {}", e.getMessage(), e.getCause().getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS)
                .body(nanolet(e));
    }

    /** A conflict that names another namespace's object names it only to a caller who may read that namespace. */
    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e, HttpServletRequest request) {
        boolean mayRead = e.namespace() == null
                || request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller && caller.has(Role.viewer, e.namespace());
        return nanolet(mayRead ? e : e.withheld());
    }

    /** A chunked body that passed {@code nanolet.api.max-body-size} while it was read. */
    @ExceptionHandler(BodyLimitFilter.BodyTooLargeException.class)
    ProblemDetail tooLarge(BodyLimitFilter.BodyTooLargeException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, e.getMessage());
    }

    /**
     * A POST's form body ({@code application/x-www-form-urlencoded}, which Tomcat reads as parameters once anything asks
     * for one) that does not decode: {@code x=%FF}, {@code x=%zz}. No endpoint takes such a body; the query string's own
     * faults are refused, named, before this ({@link QueryTextFilter}).
     */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail undecodable(InvalidParameterException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, FORM_NOT_DECODED);
    }

    /**
     * A multipart upload Tomcat could not parse: a file name with a NUL ({@code filename="m\0.wasm"}, or
     * {@code filename*=UTF-8''m%00.wasm}), which Tomcat refuses, was a 500, and so was a body that is not the multipart
     * its {@code Content-Type} says. Too large a one is Spring's 413, handled before this.
     */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail unreadableMultipart(MultipartException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidFileNameException) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "file: " + FILE_NAME_NUL);
                problem.setProperty("errors", List.of(new FieldError("file", FILE_NAME_NUL)));
                return problem;
            }
        }
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, MULTIPART_UNREADABLE);
    }

    /**
     * PostgreSQL unreachable is 503 with {@code Retry-After} (logged without a trace); a transaction PostgreSQL rolled back
     * for a concurrent one (a deadlock it broke) 409 with {@code Retry-After}; anything else a 500 that shows nothing.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (DatabaseOutage.is(e)) {
            log.warn("the database is unreachable: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, DatabaseOutage.RETRY_AFTER_SECONDS)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, DATABASE_DOWN));
        }
        if (LockConflict.is(e)) {
            log.warn("rolled back for a concurrent transaction: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.CONFLICT).header(HttpHeaders.RETRY_AFTER, LockConflict.RETRY_AFTER_SECONDS)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, LOCK_CONFLICT));
        }
        log.error("unexpected failure", e);
        return ResponseEntity.internalServerError().body(ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "an unexpected error occurred; the server log has the details"));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BodyLimitFilter.BodyTooLargeException tooLarge) {
                return handleExceptionInternal(e, tooLarge(tooLarge), headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
        }
        if (e.getCause() instanceof UnrecognizedPropertyException unknown) {
            return handleExceptionInternal(e, nanolet(unknownField(unknown)), headers, HttpStatus.UNPROCESSABLE_CONTENT, request);
        }
        if (e.getCause() instanceof WrongValues wrong) {
            HttpStatus wrongStatus = wrong.onlyUnknownFields() ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.BAD_REQUEST;
            return handleExceptionInternal(e, wrongValues(wrong, wrongStatus), headers, wrongStatus, request);
        }
        ProblemDetail problem = ProblemDetail.forStatus(HttpStatus.BAD_REQUEST);
        problem.setTitle("Malformed request body");
        if (e.getCause() instanceof JacksonException jackson) {
            String path = JsonPaths.of(jackson.getPath());
            String message = JsonProblems.message(jackson);
            problem.setDetail((path.isEmpty() ? "the request body" : path) + ": " + message);
            if (!path.isEmpty()) {
                problem.setProperty("errors", List.of(new FieldError(path, message)));
            }
        } else {
            problem.setDetail("the request body is missing or not readable");
        }
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * The values of the wrong type and unknown fields of a body, named in {@code errors} and counted past those in
     * {@code moreErrors}: 400, or 422 ("Invalid input", as one unknown field alone always was) when all are unknown fields.
     */
    private static ProblemDetail wrongValues(WrongValues wrong, HttpStatus status) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, wrong.detail());
        problem.setTitle(status == HttpStatus.BAD_REQUEST ? "Malformed request body" : "Invalid input");
        if (!wrong.named().getFirst().field().isEmpty()) { // not the body itself
            problem.setProperty("errors", wrong.named());
        }
        if (wrong.more() > 0) {
            problem.setProperty("moreErrors", wrong.more());
        }
        return problem;
    }

    /** A field the body's type does not have (strict bodies only): 422 naming it, with the fields there are. */
    private static InvalidInputException unknownField(UnrecognizedPropertyException e) {
        return new InvalidInputException(JsonPaths.of(e.getPath()), JsonProblems.message(e));
    }

    /**
     * A query or path parameter of the wrong type ({@code ?limit=abc}, a replica id that is no UUID): 400 naming it. One
     * given more than once never gets here ({@link RepeatedParameters}).
     */
    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
        Class<?> type = e.getRequiredType();
        String expected = type == null ? null : JsonProblems.expected(type);
        String message = QueryNumbers.refused(e) ? QueryNumbers.RULE : expected != null ? "must be " + expected
                : "is not a valid " + (type == null ? "value" : type.getSimpleName());
        return badRequest(e, name, message, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestPart(MissingServletRequestPartException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return badRequest(e, e.getRequestPartName(), "is required", headers, request);
    }

    private ResponseEntity<Object> badRequest(Exception e, String field, String message, HttpHeaders headers,
            WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, field + ": " + message);
        problem.setProperty("errors", List.of(new FieldError(field, message)));
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * Spring's own detail named only the type refused; this one also names those the endpoint takes. Spring reads a
     * body without Content-Type as application/octet-stream, and gives no type for one it cannot parse.
     */
    @Override
    protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_TYPE);
        String sent = header == null ? "a body without Content-Type is not taken here"
                : e.getContentType() == null ? "Content-Type '" + header + "' is not a media type"
                : "Content-Type '" + e.getContentType() + "' is not taken here";
        String taken = e.getSupportedMediaTypes().stream().map(MediaType::toString).collect(Collectors.joining(", "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                sent + "; send " + (taken.isEmpty() ? "another" : taken));
        return handleExceptionInternal(e, problem, headers, HttpStatus.UNSUPPORTED_MEDIA_TYPE, request);
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException e, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                "no endpoint " + e.getHttpMethod() + " /" + e.getResourcePath() + "; docs/api.md lists them");
        return handleExceptionInternal(e, problem, headers, HttpStatus.NOT_FOUND, request);
    }

    private static HttpStatus statusOf(NanoletException e) {
        return switch (e) {
            case NotFoundException x -> HttpStatus.NOT_FOUND;
            case ConflictException x -> HttpStatus.CONFLICT;
            case PreconditionFailedException x -> HttpStatus.PRECONDITION_FAILED;
            case InvalidInputException x -> HttpStatus.UNPROCESSABLE_CONTENT;
            case BadRequestException x -> HttpStatus.BAD_REQUEST;
            case PayloadTooLargeException x -> HttpStatus.CONTENT_TOO_LARGE;
            case GoneException x -> HttpStatus.GONE;
            case TooManyRequestsException x -> HttpStatus.TOO_MANY_REQUESTS;
            case ForbiddenException x -> HttpStatus.FORBIDDEN;
            case UnavailableException x -> HttpStatus.SERVICE_UNAVAILABLE;
            case DatabaseUnansweredException x -> HttpStatus.SERVICE_UNAVAILABLE;
            case CredentialEndedException x -> HttpStatus.UNAUTHORIZED;
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }
}
