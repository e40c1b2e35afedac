/** The Mini Program page an in-app notice about a check-in opens: the check-in with its likes and comments. */
export const checkinPage = (checkinId: number) => `pages/cohort/post?id=${checkinId}`;
