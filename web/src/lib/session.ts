import { createResource, createRoot } from "solid-js";
import { api, ApiError, type Me } from "./api.ts";

/** Who is signed in: null when nobody is (the API answered 401). */
const session = createRoot(() => {
  const [me, { refetch, mutate }] = createResource<Me | null>(async () => {
    try {
      return await api.me();
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return null;
      throw error;
    }
  });
  return { me, refetch, mutate };
});

export const me = session.me;
export const refreshSession = session.refetch;

export async function signIn(email: string, password: string) {
  session.mutate(await api.signIn(email, password));
}

export async function signOut() {
  await api.signOut();
  session.mutate(null);
}

export const canEdit = () => {
  const role = me()?.role;
  return role === "editor" || role === "admin";
};
