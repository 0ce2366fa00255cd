//! Who is at this terminal, as the app keeps it: the staff gate on writes, opening the pick
//! list, and what its answer does (the list itself is [`super::staff_pick`]).

use super::layers::Effect;
use super::{App, Notice, staff_pick};
use crate::store;

impl App {
    /// Writes ask who is at this terminal first while nobody is named or picked, on the desk
    /// (never on the shared screen), once the clinic has staff to pick from and until Esc on
    /// the list said to go ahead without a name.
    pub(super) fn update_staff_gate(&mut self) {
        let ask = self.asks_for_staff_name() && !self.staff_declined && self.first_run.is_none();
        self.store.ask_for_staff(ask);
    }

    /// True while the header says nobody is picked: the desk, with no name from the config,
    /// the environment or the pick list.
    pub fn asks_for_staff_name(&self) -> bool {
        !self.opts.presentation
            && self.store.access() == store::Access::ReadWrite
            && self.store.actor().staff.is_empty()
            && self.catalog.staff.iter().any(|s| s.active)
    }

    /// Opens the pick list of the clinic's active staff; `replay` is what met the question.
    pub fn open_staff_pick(&mut self, replay: Option<staff_pick::Replay>) {
        self.staff_pick = Some(staff_pick::StaffPick::new(&self.catalog, &self.store.actor().staff, replay));
        self.dirty = true;
    }

    /// The answer of the pick list: Accept picks the selected name, Close leaves it as it is.
    pub(super) fn staff_pick_answer(&mut self, effect: Effect) {
        let Some(pick) = &self.staff_pick else { return };
        let replay = pick.replay;
        let chosen = pick.chosen().map(str::to_string);
        let lang = self.opts.lang;
        match (effect, chosen) {
            (Effect::Accept, Some(name)) => {
                self.staff_pick = None;
                self.store.set_staff(&name);
                self.update_staff_gate();
                self.notice = Some(match store::drafts::remember_staff(self.store.path(), &name) {
                    Ok(()) => Notice::Info(match lang {
                        crate::domain::Lang::Ko => {
                            format!("이 단말기의 직원: {name} (기록에 이 이름이 남습니다)")
                        }
                        crate::domain::Lang::En => {
                            format!("At this terminal: {name} (the records carry this name)")
                        }
                    }),
                    Err(e) => Notice::Error(match lang {
                        crate::domain::Lang::Ko => {
                            format!("직원 {name}을(를) 골랐지만 다음 실행을 위해 기억하지 못했습니다: {e}")
                        }
                        crate::domain::Lang::En => {
                            format!("Picked {name}, but it could not be remembered for the next start: {e}")
                        }
                    }),
                });
                self.replay(replay);
            }
            (Effect::Accept | Effect::Close, _) => {
                self.staff_pick = None;
                if replay.is_some() {
                    // Esc before a save: the save goes ahead, stamped with the OS user only.
                    self.staff_declined = true;
                    self.update_staff_gate();
                    self.replay(replay);
                    if !matches!(self.notice, Some(Notice::Error(_))) {
                        let os = self.store.actor().os_user.clone();
                        self.notice = Some(Notice::Info(match lang {
                            crate::domain::Lang::Ko => format!(
                                "직원 이름 없이 저장했습니다 (기록에는 OS 사용자 {os}만 남습니다) - F2로 직원을 고르세요"
                            ),
                            crate::domain::Lang::En => format!(
                                "Saved without a staff name (the record has the OS user {os} only) - F2 picks who you are"
                            ),
                        }));
                    }
                }
            }
            _ => {}
        }
        self.dirty = true;
    }

    pub(super) fn replay(&mut self, replay: Option<staff_pick::Replay>) {
        match replay {
            Some(staff_pick::Replay::Key(k)) => self.on_key(k),
            Some(staff_pick::Replay::Command(c)) => self.on_command(c),
            None => {}
        }
    }
}
