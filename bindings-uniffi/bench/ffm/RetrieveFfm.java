// Target 5's retrieve through the Java bindings uniffi-bindgen-java generates over the Foreign
// Function & Memory API (Java 22+, no JNA), to compare with the Kotlin/JNA artifact on one file.
// Built and run by bindings-uniffi/bench/ffm.sh (`make bench-java-ffm`); not part of `make test`.
//
// On FILE (created with N onboardings through these bindings when missing, display ids 1..N), 20,000
// random onboardings are sampled; each timed operation gets WARMUP untimed calls, then OPS calls
// timed one by one with System.nanoTime, cycling through the sample; nearest-rank percentiles.
//
// Usage: RetrieveFfm FILE N OPS WARMUP

import app.pivotal.core.Customer;
import app.pivotal.core.CustomerParams;
import app.pivotal.core.Onboarding;
import app.pivotal.core.OnboardingParams;
import app.pivotal.core.PivotalStore;
import java.io.File;
import java.util.Arrays;
import java.util.Random;

public final class RetrieveFfm {
    interface Call {
        long run(int i) throws Exception;
    }

    static long sink;

    public static void main(String[] args) throws Exception {
        String path = args[0];
        int n = Integer.parseInt(args[1]);
        int ops = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        boolean create = !new File(path).exists();
        try (PivotalStore db = PivotalStore.open(path, "bench", null, null, null)) {
            if (create) {
                System.err.printf("RetrieveFfm: creating %,d onboardings in %s%n", n, path);
                Customer acme = db.createCustomer(
                    new CustomerParams("Acme", null, null, null, null, null, null, null, null, null, null, null, null), null);
                for (int i = 0; i < n; i++) {
                    db.createOnboarding(new OnboardingParams(acme.id(), null, null, null, null, null, null, null, null,
                        null, null, null, null, null, null, null), null);
                }
            }
            Random random = new Random(5);
            int keys = Math.min(n, 20_000);
            String[] ids = new String[keys];
            String[] displayIds = new String[keys];
            for (int k = 0; k < keys; k++) {
                displayIds[k] = Integer.toString(1 + random.nextInt(n));
                Onboarding o = db.retrieveOnboarding(displayIds[k]);
                if (!Long.toString(o.displayId()).equals(displayIds[k])) throw new AssertionError("wrong onboarding");
                ids[k] = o.id();
            }
            System.out.printf("uniffi-bindgen-java (FFM), %,d onboardings, %s; µs p50 / p90 / p99 of %,d calls%n",
                n, System.getProperty("java.vm.version"), ops);
            time("retrieve_by_id", ops, warmup, i -> db.retrieveOnboarding(ids[i % keys]).displayId());
            time("retrieve_by_display_id", ops, warmup, i -> db.retrieveOnboarding(displayIds[i % keys]).displayId());
            time("is_closed (a call, no store work)", ops, warmup, i -> db.isClosed() ? 1 : 0);
            time("jvm_noop (the timer's floor)", ops, warmup, i -> i);
        }
        if (sink == 42) System.out.println();
    }

    static void time(String name, int ops, int warmup, Call call) throws Exception {
        for (int i = 0; i < warmup; i++) sink += call.run(i);
        long[] t = new long[ops];
        for (int i = 0; i < ops; i++) {
            long start = System.nanoTime();
            sink += call.run(i);
            t[i] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        System.out.printf("| %s | %.1f / %.1f / %.1f |%n", name, rank(t, 0.50), rank(t, 0.90), rank(t, 0.99));
    }

    static double rank(long[] sorted, double q) {
        return sorted[(int) Math.ceil(q * sorted.length) - 1] / 1000.0;
    }
}
