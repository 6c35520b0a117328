// Lists as lazy streams: every record of a list, fetched a page at a time as the stream is read.
// The paging itself (cursors, `has_more`) is the library's: these only flatten the pages of the
// `*Pages` objects. The first page is read when the method is called, so a bad filter throws its
// PivotalException there; a later page that fails throws a Lists.PageException (unchecked, as
// streams need) from the stream, its cause the PivotalException. Closing the stream (or reading it
// to the end) releases the pager; each stream can be read once.

package app.pivotal.core;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Every record of a list, as a lazy {@link Stream}; use it in try-with-resources to stop early. */
public final class Lists {
    private Lists() {}

    /** A page after the first that could not be read: {@link #getCause()} is the library's error. */
    public static final class PageException extends RuntimeException {
        PageException(PivotalException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized PivotalException getCause() {
            return (PivotalException) super.getCause();
        }
    }

    /** One page of records, null after the last. */
    private interface NextPage<T> {
        List<T> next() throws PivotalException;
    }

    /** Every customer matching {@code params}, newest first. */
    public static Stream<Customer> allCustomers(PivotalStore db, CustomerListParams params) throws PivotalException {
        CustomerPages pages = db.customerPages(params);
        return flatten(pages, pages::nextPage);
    }

    /** Every contact of {@code customer} (an id or display id), newest first. */
    public static Stream<Contact> allContacts(PivotalStore db, String customer, ListParams params) throws PivotalException {
        ContactPages pages = db.contactPages(customer, params);
        return flatten(pages, pages::nextPage);
    }

    /** Every onboarding matching {@code params}, newest first. */
    public static Stream<Onboarding> allOnboardings(PivotalStore db, OnboardingListParams params) throws PivotalException {
        OnboardingPages pages = db.onboardingPages(params);
        return flatten(pages, pages::nextPage);
    }

    /** Every event of {@code customer}'s timeline (its contacts' and onboardings' too), newest first. */
    public static Stream<Event> allTimelineEvents(PivotalStore db, String customer, ListParams params) throws PivotalException {
        EventPages pages = db.timelinePages(customer, params);
        return flatten(pages, pages::nextPage);
    }

    /**
     * Every event matching {@code params} in ascending sequence order: a cursor over the change log.
     * To tail it, remember the last event's {@code sequence} and pass it as {@code afterSequence}.
     */
    public static Stream<Event> allEvents(PivotalStore db, EventListParams params) throws PivotalException {
        EventPages pages = db.eventPages(params);
        return flatten(pages, pages::nextPage);
    }

    /** The records of each page {@code next} returns until it returns null; {@code pages} closed at the end. */
    private static <T> Stream<T> flatten(AutoCloseable pages, NextPage<T> next) {
        Iterator<T> records = new Iterator<>() {
            private Iterator<T> page = List.<T>of().iterator();
            private boolean done;

            @Override
            public boolean hasNext() {
                while (!done && !page.hasNext()) {
                    List<T> records;
                    try {
                        records = next.next();
                    } catch (PivotalException e) {
                        throw new PageException(e);
                    }
                    if (records == null) {
                        done = true;
                        close(pages);
                    } else {
                        page = records.iterator();
                    }
                }
                return page.hasNext();
            }

            @Override
            public T next() {
                if (!hasNext()) throw new NoSuchElementException();
                return page.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(records, Spliterator.ORDERED | Spliterator.NONNULL), false)
            .onClose(() -> close(pages));
    }

    private static void close(AutoCloseable pages) {
        try {
            pages.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing a pager", e);
        }
    }
}
