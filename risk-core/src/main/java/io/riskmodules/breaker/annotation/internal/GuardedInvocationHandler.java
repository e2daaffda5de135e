package io.riskmodules.breaker.annotation.internal;

import io.riskmodules.breaker.CircuitBreakerRegistry;
import io.riskmodules.breaker.annotation.CircuitBreaker;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The proxy's handler: a table from interface method to what to do, built once, so that a call
 * does one map lookup and no reflective search.
 */
public final class GuardedInvocationHandler implements InvocationHandler {

  private final Object target;
  private final Map<Method, Route> routes;

  private GuardedInvocationHandler(Object target, Map<Method, Route> routes) {
    this.target = target;
    this.routes = routes;
  }

  /** Resolves every method of {@code type} against {@code target} and {@code registry}. */
  public static GuardedInvocationHandler create(Class<?> type, Object target, CircuitBreakerRegistry registry) {
    Map<Method, Route> routes = new HashMap<>();
    Map<Method, Plan> guarded = new HashMap<>();
    for (Method method : type.getMethods()) {
      if (Modifier.isStatic(method.getModifiers())) {
        continue;
      }
      CircuitBreaker own = method.getAnnotation(CircuitBreaker.class);
      CircuitBreaker inherited = own != null || method.isDefault() ? null : typeAnnotation(type, method);
      CircuitBreaker guard = own != null ? own : inherited;
      if (guard == null) {
        routes.put(method, method.isDefault() && !overriddenBy(target, method)
            ? new DefaultMethod(defaultMethodHandle(method))
            : new Direct(accessible(method)));
        continue;
      }
      Class<?> returned = method.getReturnType();
      if (CompletionStage.class.isAssignableFrom(returned)
          && returned != CompletionStage.class && returned != CompletableFuture.class) {
        // the proxy answers with a stage of its own making: it cannot be of the user's subtype
        throw new IllegalArgumentException("cannot guard " + type.getSimpleName() + "." + method.getName()
            + ": it returns " + returned.getSimpleName()
            + "; an asynchronous guarded method must return CompletionStage or CompletableFuture");
      }
      Method fallback = guard.fallbackMethod().isEmpty() ? null : findFallback(type, method, target, guard.fallbackMethod());
      guarded.put(method, new Plan(guard.name(), fallback));
    }
    // Breakers last: a proxy that cannot be made (any method's fallback missing) leaves none behind.
    guarded.forEach((method, plan) -> {
      io.riskmodules.breaker.CircuitBreaker breaker = registry.breaker(plan.breakerName());
      boolean async = CompletionStage.class.isAssignableFrom(method.getReturnType());
      routes.put(method, new Guarded(accessible(method), breaker, plan.fallback(), async));
    });
    return new GuardedInvocationHandler(target, Map.copyOf(routes));
  }

  /** A guarded method resolved but not yet given its breaker. */
  private record Plan(String breakerName, Method fallback) {}

  /**
   * Whether {@code target}'s class has its own implementation of the default method {@code
   * method} (in a class, or in a more specific interface): calls then go to it, as they would
   * without the proxy.
   */
  private static boolean overriddenBy(Object target, Method method) {
    try {
      Method resolved = target.getClass().getMethod(method.getName(), method.getParameterTypes());
      return resolved.getDeclaringClass() != method.getDeclaringClass();
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Interfaces need not be public: a package-private one is reached through setAccessible. */
  private static Method accessible(Method method) {
    method.setAccessible(true);
    return method;
  }

  /** A handle that runs the interface's own default body on the proxy, for any interface visibility. */
  private static MethodHandle defaultMethodHandle(Method method) {
    Class<?> declaring = method.getDeclaringClass();
    try {
      return MethodHandles.privateLookupIn(declaring, MethodHandles.lookup()).unreflectSpecial(method, declaring);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException("cannot call default method " + declaring.getSimpleName() + "."
          + method.getName() + " through a proxy: " + e.getMessage(), e);
    }
  }

  private static CircuitBreaker typeAnnotation(Class<?> type, Method method) {
    CircuitBreaker onDeclaring = method.getDeclaringClass().getAnnotation(CircuitBreaker.class);
    return onDeclaring != null ? onDeclaring : type.getAnnotation(CircuitBreaker.class);
  }

  private static Method findFallback(Class<?> type, Method method, Object target, String name) {
    Class<?>[] params = method.getParameterTypes();
    Class<?>[] withCause = Arrays.copyOf(params, params.length + 1);
    withCause[params.length] = Throwable.class;
    for (Class<?> c = target.getClass(); c != null; c = c.getSuperclass()) {
      for (Method candidate : c.getDeclaredMethods()) {
        if (!candidate.getName().equals(name) || Modifier.isStatic(candidate.getModifiers())) {
          continue;
        }
        Class<?>[] p = candidate.getParameterTypes();
        boolean plain = Arrays.equals(p, params);
        boolean causeLast = p.length == params.length + 1
            && Arrays.equals(Arrays.copyOf(p, params.length), params)
            && p[params.length].isAssignableFrom(Throwable.class);
        if ((plain || causeLast) && method.getReturnType().isAssignableFrom(candidate.getReturnType())) {
          candidate.setAccessible(true);
          return candidate;
        }
      }
    }
    String ret = method.getReturnType().getSimpleName();
    String args = Arrays.stream(params).map(Class::getSimpleName).collect(Collectors.joining(", "));
    throw new IllegalArgumentException(String.format(
        "%s.%s(%s): fallback method '%s' not found on %s; expected %s %s(%s) or %s %s(%s%sThrowable)",
        type.getSimpleName(), method.getName(), args, name, target.getClass().getName(),
        ret, name, args, ret, name, args, args.isEmpty() ? "" : ", "));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    Route route = routes.get(method);
    if (route != null) {
      return route.invoke(proxy, target, args);
    }
    switch (method.getName()) {
      case "equals":
        Object other = args[0];
        if (other != null && Proxy.isProxyClass(other.getClass())
            && Proxy.getInvocationHandler(other) instanceof GuardedInvocationHandler h) {
          other = h.target;
        }
        return target.equals(other);
      case "hashCode":
        return target.hashCode();
      case "toString":
        return target.toString();
      default:
        return call(method, target, args);
    }
  }

  /** Calls {@code method} on {@code target}, throwing what it throws, unwrapped. */
  static Object call(Method method, Object target, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @SuppressWarnings("unchecked")
  static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }

  private interface Route {
    Object invoke(Object proxy, Object target, Object[] args) throws Throwable;
  }

  private record Direct(Method method) implements Route {
    @Override
    public Object invoke(Object proxy, Object target, Object[] args) throws Throwable {
      return call(method, target, args);
    }
  }

  private record DefaultMethod(MethodHandle body) implements Route {
    @Override
    public Object invoke(Object proxy, Object target, Object[] args) throws Throwable {
      Object[] withReceiver = new Object[args == null ? 1 : args.length + 1];
      withReceiver[0] = proxy;
      if (args != null) {
        System.arraycopy(args, 0, withReceiver, 1, args.length);
      }
      return body.invokeWithArguments(withReceiver);
    }
  }

  private record Guarded(Method method, io.riskmodules.breaker.CircuitBreaker breaker, Method fallback, boolean async)
      implements Route {

    @Override
    public Object invoke(Object proxy, Object target, Object[] args) throws Throwable {
      if (async) {
        return invokeAsync(target, args);
      }
      if (fallback == null) {
        return breaker.call(() -> callUnchecked(method, target, args));
      }
      return breaker.call(() -> callUnchecked(method, target, args), cause -> callFallback(target, args, cause));
    }

    @SuppressWarnings("unchecked")
    private Object invokeAsync(Object target, Object[] args) {
      // a null stage passes through: the breaker treats it as the caller's bug, not as a failure
      Supplier<CompletionStage<Object>> call = () -> (CompletionStage<Object>) callUnchecked(method, target, args);
      CompletionStage<Object> stage = fallback == null
          ? breaker.executeAsync(call)
          : breaker.executeAsync(call, FallbackNeeded::new);
      CompletionStage<Object> answered = fallback == null ? stage : stage.thenCompose(value ->
          value instanceof FallbackNeeded needed
              ? asStage(callFallback(target, args, needed.cause()))
              : CompletableFuture.completedFuture(value));
      return method.getReturnType() == CompletionStage.class ? answered : answered.toCompletableFuture();
    }

    private Object callFallback(Object target, Object[] args, Throwable cause) {
      Object[] fallbackArgs = args == null ? new Object[0] : args;
      if (fallback.getParameterCount() > fallbackArgs.length) {
        fallbackArgs = Arrays.copyOf(fallbackArgs, fallbackArgs.length + 1);
        fallbackArgs[fallbackArgs.length - 1] = cause;
      }
      return callUnchecked(fallback, target, fallbackArgs);
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Object> asStage(Object value) {
      if (value == null) {
        throw new NullPointerException("a fallback method returning a CompletionStage returned null");
      }
      return (CompletionStage<Object>) value;
    }
  }

  private static Object callUnchecked(Method method, Object target, Object[] args) {
    try {
      return call(method, target, args);
    } catch (Throwable e) {
      throw GuardedInvocationHandler.<RuntimeException>sneaky(e);
    }
  }

  /** Marks, inside an async call's stage, that the fallback method must answer. */
  private record FallbackNeeded(Throwable cause) {}
}
